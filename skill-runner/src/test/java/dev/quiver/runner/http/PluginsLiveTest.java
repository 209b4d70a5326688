package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.plugins.Archives;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugins installed, replaced and removed while the real server runs, and bad uploads that change nothing. */
class PluginsLiveTest {

    @TempDir
    Path dir;

    @Test
    void aPluginIsUploadedUsedReplacedByANewerVersionAndRemovedWithoutARestart() throws Exception {
        try (Service service = Service.start(dir)) {
            Path v1 = PluginArchives.probePlugin(dir.resolve("probe-1.zip"), "1.0.0");
            Path v2 = PluginArchives.probePlugin(dir.resolve("probe-2.zip"), "2.0.0");
            assertEquals(404, probe(service).status(), "not installed yet");

            Reply installed = upload(service, Files.readAllBytes(v1), "?sha256=" + Archives.sha256(v1));
            assertEquals(201, installed.status(), installed.body());
            assertEquals(List.of("probe_plugin_version"), List.of(installed.json().at("/skills/0").asText()));
            assertEquals("1.0.0", probe(service).json().at("/output/version").asText());

            Reply replaced = upload(service, Files.readAllBytes(v2), "");
            assertEquals(201, replaced.status(), replaced.body());
            assertEquals("1.0.0", replaced.json().path("replaced").asText());
            assertEquals("2.0.0", probe(service).json().at("/output/version").asText(),
                    "the new version's files, not the old one's");
            try (Stream<Path> files = Files.list(service.home().resolve("plugins"))) {
                assertEquals(List.of("probe-2.0.0.zip"), files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("probe")).toList(), "the old archive is gone");
            }

            Reply removed = service.delete("/api/v1/plugins/probe", Role.ADMIN);
            assertEquals(200, removed.status(), removed.body());
            assertTrue(removed.json().path("unloaded").asBoolean());
            assertEquals(404, probe(service).status());
            assertEquals("UNKNOWN_SKILL", probe(service).json().at("/error/code").asText());
            assertFalse(Files.exists(service.home().resolve("plugins/probe-2.0.0.zip")));
            assertEquals(404, service.delete("/api/v1/plugins/probe", Role.ADMIN).status());
            assertEquals(200, service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}").status(),
                    "the other plugin served throughout");

            service.restart();
            assertEquals(404, probe(service).status(), "removed stays removed");
        }
    }

    @Test
    void aBadUploadIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        try (Service service = Service.start(dir)) {
            String skillsBefore = service.get("/api/v1/skills", Role.VIEWER).body();
            String pluginsBefore = service.get("/api/v1/plugins", Role.ADMIN).body();
            List<String> filesBefore = pluginFiles(service);
            Path good = PluginArchives.probePlugin(dir.resolve("probe.zip"), "1.0.0");
            Path noSkills = PluginArchives.zip(dir.resolve("no-skills.zip"), Map.of("plugin.properties",
                    PluginArchives.properties("empty", "", ">=0.1.0")));

            Map<String, byte[]> uploads = Map.of(
                    "not a plugin archive", "this is not a zip".getBytes(),
                    "SHA-256 mismatch", Files.readAllBytes(good),
                    "contributes no skill", Files.readAllBytes(noSkills));
            for (Map.Entry<String, byte[]> upload : uploads.entrySet()) {
                String query = upload.getKey().startsWith("SHA") ? "?sha256=" + "0".repeat(64) : "";
                Reply refused = upload(service, upload.getValue(), query);
                assertEquals(400, refused.status(), refused.body());
                assertTrue(refused.json().at("/error/message").asText().contains(upload.getKey()), refused.body());
                if (upload.getKey().equals("not a plugin archive")) {
                    assertTrue(refused.json().at("/error/message").asText().contains("uploaded.zip is not"),
                            "names the upload, not a temporary file: " + refused.body());
                }
            }
            assertEquals(400, upload(service, new byte[0], "").status(), "empty body");

            assertEquals(skillsBefore, service.get("/api/v1/skills", Role.VIEWER).body());
            assertEquals(pluginsBefore, service.get("/api/v1/plugins", Role.ADMIN).body());
            assertEquals(filesBefore, pluginFiles(service));
        }
    }

    private static Reply probe(Service service) {
        return service.execute("probe_plugin_version", Role.ANALYST, "{}");
    }

    private static Reply upload(Service service, byte[] archive, String query) {
        return service.send("POST", "/api/v1/plugins" + query, service.key(Role.ADMIN), "application/octet-stream",
                archive);
    }

    private static List<String> pluginFiles(Service service) throws Exception {
        try (Stream<Path> files = Files.list(service.home().resolve("plugins"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}

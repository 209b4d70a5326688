package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.plugins.Archives;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void aPluginIdOrVersionThatIsNotAPlainNameIsRefusedBeforeItTouchesAPath() throws Exception {
        try (Service service = Service.start(dir)) {
            // The reported attack was plugin.id=../../../../tmp/x; these ids climb out of the home into a folder
            // of this test instead, so that a failing run writes nowhere else.
            Path outside = Files.createDirectories(dir.resolve("outside"));
            List<String> pluginsBefore = filesUnder(service.home().resolve("plugins"));
            String skillsBefore = service.get("/api/v1/skills", Role.VIEWER).body();
            record Attack(String field, String rule, Path archive) {
            }
            String idRule = "^[a-z0-9][a-z0-9._-]{0,63}$";
            List<Attack> attacks = List.of(
                    new Attack("plugin.id", idRule, PluginArchives.probePlugin(dir.resolve("id.zip"),
                            "../../outside/x", "1.0.0")),
                    new Attack("plugin.id", idRule, PluginArchives.probeJar(dir.resolve("manifest.jar"),
                            "../../outside/y", "1.0.0")),
                    new Attack("plugin.id", idRule, PluginArchives.probePlugin(dir.resolve("upper.zip"), "Probe",
                            "1.0.0")),
                    new Attack("plugin.version", "MAJOR.MINOR.PATCH", PluginArchives.probePlugin(
                            dir.resolve("version.zip"), "probe", "1/../../../outside/z")),
                    new Attack("plugin.version", "MAJOR.MINOR.PATCH", PluginArchives.probePlugin(
                            dir.resolve("short.zip"), "probe", "1.0")));

            for (Attack attack : attacks) {
                String query = attack.archive().toString().endsWith(".jar") ? "?filename=plugin.jar" : "";
                Reply refused = upload(service, Files.readAllBytes(attack.archive()), query);
                assertEquals(400, refused.status(), attack.archive() + ": " + refused.body());
                assertEquals("INVALID_INPUT", refused.json().at("/error/code").asText());
                String message = refused.json().at("/error/message").asText();
                assertTrue(message.contains(attack.field()), "names the field: " + message);
                assertTrue(message.contains(attack.rule()), "names the rule: " + message);
                assertEquals(attack.field(), refused.json().at("/error/details/0/field").asText(), refused.body());
            }

            assertEquals(List.of(), filesUnder(outside), "nothing written outside the home");
            assertEquals(pluginsBefore, filesUnder(service.home().resolve("plugins")), "nothing changed");
            assertEquals(skillsBefore, service.get("/api/v1/skills", Role.VIEWER).body());
        }
    }

    @Test
    void anEntryThatClimbsOutOfTheArchiveIsRefusedAndWritesNothing() throws Exception {
        try (Service service = Service.start(dir)) {
            Path outside = Files.createDirectories(dir.resolve("outside"));
            List<String> pluginsBefore = filesUnder(service.home().resolve("plugins"));
            // deep enough to leave the home from the private copy's folder (plugins/.work/<process>/<copy>/)
            Path slip = PluginArchives.zip(dir.resolve("slip.zip"), Map.of(
                    "plugin.properties", PluginArchives.properties("slip", "", ">=0.1.0"),
                    "../".repeat(5) + "outside/slip.txt", "written outside".getBytes()));

            Reply refused = upload(service, Files.readAllBytes(slip), "");
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.json().at("/error/message").asText().contains("points outside the archive"),
                    refused.body());
            assertEquals(List.of(), filesUnder(outside), "nothing written outside the home");
            assertEquals(pluginsBefore, filesUnder(service.home().resolve("plugins")), "nothing changed");
        }
    }

    @Test
    void aDowngradeOrTheSameVersionIsRefusedUnlessTheAdminAsksForIt() throws Exception {
        try (Service service = Service.start(dir)) {
            byte[] v010 = Files.readAllBytes(PluginArchives.probePlugin(dir.resolve("a.zip"), "0.1.0"));
            byte[] v001 = Files.readAllBytes(PluginArchives.probePlugin(dir.resolve("b.zip"), "0.0.1"));
            assertEquals(201, upload(service, v010, "").status());

            Reply downgrade = upload(service, v001, "");
            assertEquals(409, downgrade.status(), "a downgrade is refused: " + downgrade.body());
            assertEquals("INVALID_INPUT", downgrade.json().at("/error/code").asText());
            assertTrue(downgrade.json().at("/error/message").asText().contains("0.0.1 is older than the installed"
                    + " 0.1.0"), downgrade.body());
            assertTrue(downgrade.json().at("/error/remediation").asText().contains("?allow_downgrade=true"),
                    downgrade.body());
            assertEquals("0.1.0", probe(service).json().at("/output/version").asText(), "0.1.0 still serves");
            assertEquals(List.of("probe-0.1.0.zip"), probeArchives(service));

            Reply allowed = upload(service, v001, "?allow_downgrade=true");
            assertEquals(201, allowed.status(), allowed.body());
            assertEquals("0.1.0", allowed.json().path("replaced").asText());
            assertEquals("0.0.1", probe(service).json().at("/output/version").asText());
            assertEquals(List.of("probe-0.0.1.zip"), probeArchives(service));

            Reply same = upload(service, v001, "");
            assertEquals(409, same.status(), "the same version is refused: " + same.body());
            assertTrue(same.json().at("/error/message").asText().contains("0.0.1 is already installed"), same.body());
            assertTrue(same.json().at("/error/remediation").asText().contains("?force=true"), same.body());
            assertEquals(409, upload(service, v001, "?allow_downgrade=true").status(),
                    "allowing a downgrade does not force the same version");
            Reply forced = upload(service, v001, "?force=true");
            assertEquals(201, forced.status(), forced.body());
            assertEquals("0.0.1", forced.json().path("replaced").asText());

            // Semantic, not text, order: 0.10.0 is newer than 0.9.0, and a release newer than its candidate.
            for (String newer : List.of("0.9.0", "0.10.0-rc.1", "0.10.0")) {
                Reply upgrade = upload(service, Files.readAllBytes(PluginArchives.probePlugin(
                        dir.resolve(newer + ".zip"), newer)), "");
                assertEquals(201, upgrade.status(), newer + ": " + upgrade.body());
            }
            assertEquals(409, upload(service, Files.readAllBytes(PluginArchives.probePlugin(dir.resolve("rc.zip"),
                    "0.10.0-rc.2")), "").status(), "0.10.0-rc.2 is older than 0.10.0");
            assertEquals("0.10.0", probe(service).json().at("/output/version").asText());
        }
    }

    @Test
    void aZipBombIsRefusedWhileExpandingAndLeavesNoFiles() throws Exception {
        try (Service service = Service.start(dir)) {
            Path bomb = PluginArchives.probeBomb(dir.resolve("bomb.zip"), 1L << 30);
            assertTrue(Files.size(bomb) < 8L << 20, "a small upload: " + Files.size(bomb));
            List<String> pluginsBefore = filesUnder(service.home().resolve("plugins"));
            String skillsBefore = service.get("/api/v1/skills", Role.VIEWER).body();

            Reply refused = upload(service, Files.readAllBytes(bomb), "");
            assertEquals(413, refused.status(), refused.body());
            assertEquals("INVALID_INPUT", refused.json().at("/error/code").asText());
            assertTrue(refused.json().at("/error/message").asText().contains("expands to more than 268435456 bytes"),
                    refused.body());
            assertEquals(pluginsBefore, filesUnder(service.home().resolve("plugins")), "no partial files");
            assertEquals(skillsBefore, service.get("/api/v1/skills", Role.VIEWER).body());

            Reply many = upload(service, Files.readAllBytes(PluginArchives.probeWithEntries(dir.resolve("many.zip"),
                    10_001)), "");
            assertEquals(400, many.status(), many.body());
            assertTrue(many.json().at("/error/message").asText().contains("more than 10000 entries"), many.body());
            assertEquals(pluginsBefore, filesUnder(service.home().resolve("plugins")), "no partial files");

            assertEquals(201, upload(service, Files.readAllBytes(PluginArchives.probeWithEntries(
                    dir.resolve("enough.zip"), 10_000)), "").status(), "10,000 entries are allowed");
        }
    }

    @Test
    void installedArchivesAndWorkFoldersAreOwnerOnly() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        try (Service service = Service.start(dir)) {
            Path v1 = PluginArchives.probePlugin(dir.resolve("probe.zip"), "1.0.0");
            assertEquals(201, upload(service, Files.readAllBytes(v1), "").status());
            Path plugins = service.home().resolve("plugins");
            assertTrue(Files.isDirectory(plugins.resolve(".work")) && Files.isDirectory(plugins.resolve(".uploads")));
            List<String> checked = new java.util.ArrayList<>();
            try (Stream<Path> all = Files.walk(plugins)) {
                all.forEach(path -> {
                    String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
                    try {
                        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(path)),
                                path.toString());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    checked.add(plugins.relativize(path).toString());
                });
            }
            assertTrue(checked.contains("probe-1.0.0.zip"), checked.toString());
            assertTrue(checked.stream().anyMatch(p -> p.startsWith(".work/") && p.endsWith("probe-version.txt")),
                    "the expanded copy was checked too: " + checked);
        }
    }

    private static Reply probe(Service service) {
        return service.execute("probe_plugin_version", Role.ANALYST, "{}");
    }

    private static Reply upload(Service service, byte[] archive, String query) {
        return service.send("POST", "/api/v1/plugins" + query, service.key(Role.ADMIN), "application/octet-stream",
                archive);
    }

    private static List<String> probeArchives(Service service) throws Exception {
        return pluginFiles(service).stream().filter(n -> n.startsWith("probe")).toList();
    }

    /** Every regular file under {@code root}, hidden ones included, relative to it. */
    private static List<String> filesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> pluginFiles(Service service) throws Exception {
        try (Stream<Path> files = Files.list(service.home().resolve("plugins"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}

package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins that misbehave, loaded through pf4j into the real service: one fails on start (present at boot, and
 * uploaded later), one carries skills that throw, hang past their deadline or break their output schema. Each
 * fault is a typed error, and the Cloudflare plugin keeps serving throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PluginFaultsTest {

    private static final String ZONE_DETAILS = "cloudflare_get_zone_details";

    @TempDir
    static Path dir;
    private static Service service;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        PluginArchives.failsOnStartPlugin(dir.resolve("plugins/broken-at-boot.zip"), "broken-at-boot");
        service = Service.start(dir);
        Path faulty = PluginArchives.faultyPlugin(dir.resolve("faulty-1.0.0.zip"));
        Reply installed = service.send("POST", "/api/v1/plugins?filename=faulty-1.0.0.zip",
                service.key(Role.ADMIN), "application/octet-stream", Files.readAllBytes(faulty));
        assertTrue(installed.status() == 200 || installed.status() == 201, installed.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aPluginThatFailsOnStartIsReportedWithItsReasonAndTheOthersServe() {
        JsonNode plugins = service.get("/api/v1/plugins", Role.ADMIN).json();
        JsonNode broken = find(plugins, "broken-at-boot");
        assertFalse("started".equals(broken.path("state").asText()), broken.toString());
        assertTrue(broken.toString().contains("refuses to start"), broken.toString());
        assertEquals("started", find(plugins, "cloudflare-skills").path("state").asText());
        assertEquals(200, service.get("/health", null).status());
        assertServing();
    }

    @Test
    void uploadingAPluginThatFailsOnStartIsRefusedAndChangesNothing() throws Exception {
        String skillsBefore = service.get("/api/v1/skills", Role.VIEWER).body();
        Path archive = PluginArchives.failsOnStartPlugin(dir.resolve("broken-upload.zip"), "broken-upload");

        Reply refused = service.send("POST", "/api/v1/plugins?filename=broken-upload.zip", service.key(Role.ADMIN),
                "application/octet-stream", Files.readAllBytes(archive));

        assertEquals(400, refused.status(), refused.body());
        assertEquals("INVALID_INPUT", refused.json().at("/error/code").asText());
        assertTrue(refused.body().contains("refuses to start"), refused.body());
        assertEquals(skillsBefore, service.get("/api/v1/skills", Role.VIEWER).body());
        assertFalse(Files.exists(service.home().resolve("plugins/broken-upload.zip")));
        assertServing();
    }

    @Test
    void aSkillThatThrowsIsAPluginFaultNamingThePlugin() {
        Reply reply = service.execute("fault_throws", Role.ANALYST, "{}");

        assertEquals(500, reply.status(), reply.body());
        assertEquals("PLUGIN_FAULT", reply.json().at("/error/code").asText());
        assertTrue(reply.json().at("/error/remediation").asText().contains("faulty"), reply.body());
        assertFalse(reply.body().contains("at dev.quiver"), "no stack trace reaches the caller");
        assertServing();
    }

    @Test
    void aSkillThatBreaksItsOutputSchemaIsAPluginFaultAndItsOutputIsDiscarded() {
        Reply reply = service.execute("fault_bad_output", Role.ANALYST, "{}");

        assertEquals(500, reply.status(), reply.body());
        assertEquals("PLUGIN_FAULT", reply.json().at("/error/code").asText());
        assertFalse(reply.body().contains("not declared"), "the bad output is not passed on: " + reply.body());
        assertServing();
    }

    @Test
    void aSkillThatHangsPastItsDeadlineTimesOutWhileTheOthersKeepAnswering() throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Reply>> hung = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hung.add(CompletableFuture.supplyAsync(() -> service.post("/api/v1/skills/fault_hangs/executions",
                    Role.ANALYST, "{\"connection\": \"sandbox\", \"input\": {}, \"timeout_seconds\": 2}")));
        }
        Thread.sleep(300);
        long during = System.nanoTime();
        assertServing();
        long servingMillis = (System.nanoTime() - during) / 1_000_000;

        for (CompletableFuture<Reply> call : hung) {
            Reply reply = call.get(10, TimeUnit.SECONDS);
            assertEquals(504, reply.status(), reply.body());
            assertEquals("TIMEOUT", reply.json().at("/error/code").asText());
        }
        long totalMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(totalMillis < 5_000, "the hung executions answered after " + totalMillis + " ms (deadline 2 s)");
        assertTrue(servingMillis < 1_500, "zone details took " + servingMillis + " ms beside the hung skills");
        JsonNode records = service.get("/api/v1/executions?skill=fault_hangs&limit=10", Role.VIEWER).json();
        assertEquals(4, records.path("executions").size(), records.toString());
        records.path("executions").forEach(r -> assertEquals("TIMEOUT", r.path("error_code").asText(), r.toString()));
    }

    private static void assertServing() {
        Reply reply = service.execute(ZONE_DETAILS, Role.ANALYST, "{}");
        assertEquals(200, reply.status(), reply.body());
    }

    private static JsonNode find(JsonNode plugins, String id) {
        for (JsonNode plugin : plugins.path("plugins")) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        throw new AssertionError("no plugin " + id + " in " + plugins);
    }
}

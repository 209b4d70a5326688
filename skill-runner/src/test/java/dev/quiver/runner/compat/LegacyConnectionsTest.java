package dev.quiver.runner.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections written before plugin API 1.0 keep working unchanged with the real Cloudflare plugin: a 0.1 store
 * (written by the 0.1 runner, see {@code legacy/README.md}) opens, and its account, default zone and zone allow-list
 * still steer the gate, now as the Cloudflare type's declared settings and resource kinds; a 0.1 connection file
 * reads as it did; what the 0.1 schema refused is still refused, by the type's declarations.
 */
class LegacyConnectionsTest {

    private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";
    private static final String OTHER_ZONE = "0b1d9a0e5b2c4d7e8f9a0b1c2d3e4f50";

    @TempDir
    Path dir;

    private QuiverRuntime runtime() throws IOException {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("connections"));
        for (String name : List.of(".keycheck", "legacy-cloudflare.json")) {
            try (InputStream in = getClass().getResourceAsStream("/legacy/v0.1-home/connections/" + name)) {
                Files.copy(in, home.resolve("connections").resolve(name));
            }
        }
        Map<String, String> env = Map.of("QUIVER_MASTER_KEY", MASTER_KEY);
        return QuiverRuntime.start(home, List.of(plugins), env::get);
    }

    private static ExecutionResult run(QuiverRuntime runtime, String skill, String input) throws Exception {
        return runtime.pipeline().execute(new ExecutionRequest(skill, "legacy-cloudflare", Json.MAPPER.readTree(input),
                false, Duration.ofSeconds(5), Caller.OPERATOR, "cli"));
    }

    @Test
    void aStoredConnectionFromTheOldRunnerOpensWithItsSettings() throws Exception {
        try (QuiverRuntime runtime = runtime()) {
            Connection connection = runtime.connection("legacy-cloudflare");
            assertEquals("legacy-token-0123456789abcdef", connection.credential().values().get("token"));
            assertEquals(ACCOUNT, connection.info().setting("account_id"));
            assertEquals(ZONE, connection.info().setting("zone_id"));
            assertEquals(List.of("Zone Read"), connection.permissions());
            assertEquals(ZONE, connection.setting("zones").get(0).asText());
        }
    }

    @Test
    void theOldAllowListAndPermissionsStillRefuseBeforeAnyRequest() throws Exception {
        try (QuiverRuntime runtime = runtime()) {
            ExecutionResult otherZone = run(runtime, "cloudflare_get_zone_details",
                    "{\"zone_id\": \"" + OTHER_ZONE + "\"}");
            assertEquals(ErrorCode.PERMISSION_DENIED, otherZone.failure().code());
            assertEquals("zone " + OTHER_ZONE + " is not in the connection's zones allow-list",
                    otherZone.failure().missing().get(0).reason());
            assertEquals(0, otherZone.requestsSent());

            ExecutionResult write = run(runtime, "cloudflare_create_ruleset_rule", "{\"phase\":"
                    + " \"http_request_firewall_custom\", \"rule\": {\"expression\": \"ip.src eq 192.0.2.1\","
                    + " \"action\": \"block\"}}");
            assertEquals(ErrorCode.PERMISSION_DENIED, write.failure().code());
            assertEquals("Zone WAF Write", write.failure().missing().get(0).permission());
            assertEquals("zone", write.failure().missing().get(0).scope());
            assertEquals(ZONE, write.failure().missing().get(0).resource(), "bound to the default zone_id");
            assertTrue(write.failure().remediation().contains("shown as 'Edit'"), "the Cloudflare type's advice");
            assertEquals(0, write.requestsSent());

            ExecutionResult otherAccount = run(runtime, "cloudflare_get_audit_logs",
                    "{\"account_id\": \"ffffffffffffffffffffffffffffffff\"}");
            assertEquals(ErrorCode.PERMISSION_DENIED, otherAccount.failure().code());
            assertEquals("the connection is for account " + ACCOUNT + ", not ffffffffffffffffffffffffffffffff",
                    otherAccount.failure().missing().get(0).reason());
        }
    }

    @Test
    void anOldConnectionFileReadsAsItDid() throws Exception {
        Path file = dir.resolve("legacy.json");
        try (InputStream in = getClass().getResourceAsStream("/legacy/legacy-cloudflare-file.json")) {
            Files.copy(in, file);
        }
        try (QuiverRuntime runtime = runtime()) {
            Connection connection = runtime.connection(file.toString());
            assertEquals("cloudflare", connection.type());
            assertEquals(ACCOUNT, connection.info().setting("account_id"));
            assertFalse(connection.settings().has("permissions"), "permissions are common, not a setting");
        }
    }

    @Test
    void whatTheOldSchemaRefusedTheCloudflareTypeStillRefuses() throws Exception {
        Path invalid = Path.of(getClass().getResource("/connections/cloudflare-invalid").toURI());
        List<Path> files;
        try (Stream<Path> listed = Files.list(invalid)) {
            files = listed.sorted().toList();
        }
        assertEquals(4, files.size());
        try (QuiverRuntime runtime = runtime()) {
            for (Path file : files) {
                FailureException e = assertThrows(FailureException.class, () -> runtime.connection(file.toString()),
                        file.getFileName().toString());
                assertEquals(ErrorCode.INVALID_CONNECTION, e.failure().code(), file.getFileName().toString());
                JsonNode pointer = Json.MAPPER.valueToTree(e.failure().details());
                assertFalse(pointer.isEmpty(), file + ": the refusal names where");
            }
        }
    }

    @Test
    void anOauthConnectionKeepsItsOptionalFieldsAndAnUndeclaredOneIsRefused() throws Exception {
        String oauth = "{\"id\": \"oauth-cf\", \"type\": \"cloudflare\", \"auth\": {\"method\": \"oauth\","
                + " \"access_token\": \"at-0123456789\", \"refresh_token\": \"rt-0123456789\","
                + " \"expires_at\": \"2030-01-01T00:00:00Z\"%s}, \"account_id\": \"" + ACCOUNT + "\"}";
        Path ok = Files.writeString(dir.resolve("oauth.json"), String.format(oauth, ""));
        Path bad = Files.writeString(dir.resolve("oauth-bad.json"), String.format(oauth, ", \"scope\": \"x\""));
        try (QuiverRuntime runtime = runtime()) {
            Connection connection = runtime.connection(ok.toString());
            assertEquals("rt-0123456789", connection.credential().values().get("refresh_token"));
            FailureException e = assertThrows(FailureException.class, () -> runtime.connection(bad.toString()));
            assertEquals("/auth/scope", e.failure().details().get(0).get("pointer"));
        }
    }
}

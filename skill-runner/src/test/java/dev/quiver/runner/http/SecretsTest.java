package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.testing.SecretLeaks;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canaries: the sandbox's real token and a made-up one that the sandbox refuses go in through the API, then every
 * skill runs on both (success and error paths) and every route is read. Neither token may appear in a response,
 * a log line or any file of the home folder.
 */
class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void aConnectionsSecretAppearsInNoResponseNoLogLineAndNoFileOfTheHome() throws Exception {
        SecretLeaks leaks = SecretLeaks.capturingLogs();
        List<Reply> replies = new ArrayList<>();
        String goodToken;
        String badToken = "cfcanary_" + Long.toHexString(System.nanoTime()) + "0123456789abcdef";
        Path home;
        try (Service service = Service.start(dir)) {
            home = service.home();
            ObjectNode good = service.sandbox().connection();
            goodToken = good.at("/auth/token").asText();
            good.put("id", "canary-good");
            ObjectNode bad = service.sandbox().connection();
            bad.put("id", "canary-bad");
            ((ObjectNode) bad.get("auth")).put("token", badToken);
            replies.add(service.post("/api/v1/connections", Role.ADMIN, good.toString()));
            replies.add(service.post("/api/v1/connections", Role.ADMIN, bad.toString()));
            assertEquals(201, replies.get(0).status(), replies.get(0).body());
            assertEquals(201, replies.get(1).status(), replies.get(1).body());
            replies.add(service.post("/api/v1/connections", Role.ADMIN, good.toString()));
            assertEquals(409, replies.get(2).status(), "a second add with the id conflicts");

            for (String connection : List.of("canary-good", "canary-bad")) {
                for (CatalogEntry entry : service.runtime().catalog().entries()) {
                    String input = entry.id().equals("cloudflare_create_ruleset_rule")
                            ? "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                            + " \"expression\": \"ip.src eq 198.51.100.9\", \"ref\": \"canary\"}}" : "{}";
                    replies.add(service.post("/api/v1/skills/" + entry.id() + "/executions", Role.ADMIN,
                            "{\"connection\": \"" + connection + "\", \"input\": " + input + "}"));
                    replies.add(service.post("/api/v1/skills/" + entry.id() + "/executions", Role.ADMIN,
                            "{\"connection\": \"" + connection + "\", \"input\": {\"not_a_field\": true}}"));
                }
                replies.add(service.get("/api/v1/connections/" + connection, Role.ADMIN));
                replies.add(service.post("/api/v1/connections/" + connection + "/test", Role.ADMIN, ""));
            }
            replies.add(service.get("/api/v1/connections", Role.ADMIN));
            replies.add(service.get("/api/v1/executions?limit=1000", Role.VIEWER));
            replies.add(service.get("/metrics", Role.VIEWER));
            replies.add(service.get("/health", null));
            assertTrue(replies.stream().anyMatch(r -> r.body().contains("AUTHENTICATION_FAILED")),
                    "the refused token took the error path");
            assertTrue(replies.stream().anyMatch(r -> r.body().contains("\"status\":\"succeeded\"")),
                    "the good token took the success path");
        } finally {
            leaks.close();
        }

        leaks.assertAbsent(List.of(goodToken, badToken), replies, home);
        assertTrue(leaks.logEvents() > 0, "the logs were captured");
    }
}

package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route of the contract, without a key, with a bad key and with each role, on the real server. */
class AccessTest {

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** A route, and the least role it takes. */
    record Route(String method, String path, String body, Role least) {
    }

    // Requests that succeed for a role that may make them (read-only or repeatable: a write is a dry run).
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/v1/skills", null, Role.VIEWER),
            new Route("GET", "/api/v1/skills/cloudflare_get_zone_details", null, Role.VIEWER),
            new Route("GET", "/api/v1/executions", null, Role.VIEWER),
            new Route("GET", "/metrics", null, Role.VIEWER),
            new Route("GET", "/openapi.yml", null, Role.VIEWER),
            new Route("POST", "/api/v1/skills/cloudflare_get_zone_details/executions",
                    "{\"connection\": \"sandbox\", \"input\": {}}", Role.ANALYST),
            new Route("POST", "/api/v1/skills/cloudflare_create_ruleset_rule/executions",
                    "{\"connection\": \"sandbox\", \"dry_run\": true, \"input\": {\"phase\":"
                            + " \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\", \"expression\":"
                            + " \"ip.src eq 198.51.100.7\"}}}", Role.RESPONDER),
            new Route("POST", "/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}", Role.ANALYST),
            new Route("GET", "/api/v1/connections", null, Role.ADMIN),
            new Route("GET", "/api/v1/connections/sandbox", null, Role.ADMIN),
            new Route("POST", "/api/v1/connections/sandbox/test", "", Role.ADMIN),
            new Route("GET", "/api/v1/plugins", null, Role.ADMIN),
            new Route("GET", "/api/v1/keys", null, Role.ADMIN));

    @ParameterizedTest
    @EnumSource(Role.class)
    void eachRouteAdmitsTheRolesThatIncludeItsLeastRoleAndRefusesTheOthersWith403(Role role) {
        Map<String, Integer> wrong = new LinkedHashMap<>();
        for (Route route : ROUTES) {
            Reply reply = service.send(route.method(), route.path(), service.key(role),
                    route.body() == null ? null : "application/json", route.body());
            int expected = role.includes(route.least()) ? 200 : 403;
            if (reply.status() != expected) {
                wrong.put(route.method() + " " + route.path() + " (expected " + expected + ": " + reply.body() + ")",
                        reply.status());
            }
            if (expected == 403) {
                assertEquals("PERMISSION_DENIED", reply.json().at("/error/code").asText(), reply.body());
                assertFalse(reply.body().contains("admin or higher"), "nothing is above admin: " + reply.body());
                if (route.least() == Role.ADMIN) {
                    assertTrue(reply.json().at("/error/message").asText().endsWith("needs admin"), reply.body());
                }
            }
        }
        assertTrue(wrong.isEmpty(), role + ": " + wrong);
    }

    @Test
    void everyRouteButHealthRefusesARequestWithoutAKeyOrWithAWrongOne() {
        for (Route route : ROUTES) {
            for (String key : new String[]{null, "qk_000000000000.not-a-key", "garbage"}) {
                Reply reply = service.send(route.method(), route.path(), key,
                        route.body() == null ? null : "application/json", route.body());
                assertEquals(401, reply.status(), route + " with " + key);
                assertEquals("AUTHENTICATION_FAILED", reply.json().at("/error/code").asText());
                assertEquals("Bearer", reply.headers().firstValue("WWW-Authenticate").orElse(null));
            }
        }
        Reply unknownRoute = service.get("/api/v1/nothing-here", null);
        assertEquals(401, unknownRoute.status(), "no key: not even whether a route exists");
    }

    @Test
    void healthAnswersWithoutAKeyAndSaysWhatIsLoaded() {
        Reply health = service.get("/health", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.json().path("status").asText());
        assertEquals(1, health.json().at("/plugins/started").asInt());
        assertEquals(14, health.json().at("/plugins/skills").asInt());
    }

    @Test
    void aWriteSkillIsRefusedToAnAnalystBeforeAnythingIsSent() {
        long before = service.sandbox().requestCount();
        Reply reply = service.execute("cloudflare_create_ruleset_rule", Role.ANALYST,
                "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                        + " \"expression\": \"ip.src eq 198.51.100.7\", \"ref\": \"analyst-try\"}}");
        assertEquals(403, reply.status(), reply.body());
        assertEquals("PERMISSION_DENIED", reply.json().at("/error/code").asText());
        assertEquals("responder", reply.json().at("/error/details/0/required_role").asText());
        assertEquals(before, service.sandbox().requestCount(), "nothing reached the sandbox");

        Reply responder = service.execute("cloudflare_create_ruleset_rule", Role.RESPONDER,
                "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                        + " \"expression\": \"ip.src eq 198.51.100.7\", \"ref\": \"responder-try\"}}");
        assertEquals(200, responder.status(), responder.body());
        assertEquals("created", responder.json().at("/output/status").asText());
    }

    @Test
    void anExecutionNamesOnlyAStoredConnectionNeverAFileOnTheHost() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("conn.json"), service.sandbox().connection().toString());
        for (String connection : new String[]{file.toString(), "no-such-connection"}) {
            Reply reply = service.post("/api/v1/skills/cloudflare_get_zone_details/executions", Role.ADMIN,
                    "{\"connection\": \"" + connection + "\", \"input\": {}}");
            assertEquals(404, reply.status(), reply.body());
            assertEquals("UNKNOWN_CONNECTION", reply.json().at("/error/code").asText());
            assertTrue(reply.json().at("/error/execution_id").asText().startsWith("ex_"), "recorded");
        }
        Reply unknownSkill = service.execute("no_such_skill", Role.ANALYST, "{}");
        assertEquals(404, unknownSkill.status());
        assertEquals("UNKNOWN_SKILL", unknownSkill.json().at("/error/code").asText());
    }

    @Test
    void aMalformedOrOversizedBodyIsRefusedWith400Or413AndTheErrorObject() {
        String path = "/api/v1/skills/cloudflare_get_zone_details/executions";
        Reply notJson = service.post(path, Role.ANALYST, "{nope");
        assertEquals(400, notJson.status());
        assertEquals("INVALID_INPUT", notJson.json().at("/error/code").asText());
        Reply unknownField = service.post(path, Role.ANALYST, "{\"connection\": \"sandbox\", \"inptu\": {}}");
        assertEquals(400, unknownField.status());
        Reply badInput = service.execute("cloudflare_get_zone_details", Role.ANALYST, "{\"limit\": \"x\"}");
        assertEquals(400, badInput.status());
        assertEquals("/limit", badInput.json().at("/error/details/0/pointer").asText());
        Reply huge = service.post(path, Role.ANALYST, "{\"connection\": \"sandbox\", \"input\": {\"pad\": \""
                + "x".repeat(2 << 20) + "\"}}");
        assertEquals(413, huge.status());
        assertEquals("INVALID_INPUT", huge.json().at("/error/code").asText());
        Reply noRoute = service.get("/api/v1/nothing-here", Role.VIEWER);
        assertEquals(404, noRoute.status());
        assertEquals("NOT_FOUND", noRoute.json().at("/error/code").asText());
    }

    @Test
    void theOpenApiDocumentDescribesEveryRouteThisTestCovers() {
        String document = service.get("/openapi.yml", Role.VIEWER).body();
        for (Route route : ROUTES) {
            String path = route.path().replace("cloudflare_get_zone_details", "{id}")
                    .replace("cloudflare_create_ruleset_rule", "{id}").replace("/sandbox", "/{id}");
            assertTrue(document.contains("\n  " + path + ":"), "openapi.yml lacks " + path);
        }
        assertTrue(document.contains("\n  /health:"));
    }

    @Test
    void aRevokedKeyIsRefusedFromItsNextRequest() {
        var created = service.runtime().keys().create(Role.VIEWER);
        assertEquals(200, service.send("GET", "/api/v1/skills", created.key(), null, null).status());
        assertTrue(service.runtime().keys().revoke(created.apiKey().id()));
        assertEquals(401, service.send("GET", "/api/v1/skills", created.key(), null, null).status());
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MDR provider's keys limited to one customer's connections, on the real service: the customer's analyst runs
 * skills on its own connections and learns nothing of another customer's, not even that they exist.
 */
class TenantKeysTest {

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
        for (String id : List.of("acme-prod", "acme-staging", "globex")) {
            ObjectNode connection = service.sandbox().connection();
            connection.put("id", id);
            service.runtime().connections().addRemote(connection, "test");
        }
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String createKey(String json) {
        Reply created = service.post("/api/v1/keys", Role.ADMIN, json);
        assertEquals(201, created.status(), created.body());
        return created.json().path("key").asText();
    }

    private static Reply execute(String key, String connection) {
        return service.send("POST", "/api/v1/skills/cloudflare_get_zone_details/executions", key,
                "application/json", "{\"connection\": \"" + connection + "\", \"input\": {}}");
    }

    @Test
    void anAdminCreatesATenantKeyOverHttpAndItIsShownOnceWithItsScopeAndExpiry() {
        Reply created = service.post("/api/v1/keys", Role.ADMIN,
                "{\"role\": \"analyst\", \"connections\": [\"acme-*\", \"globex\"], \"expires\": \"30d\"}");
        assertEquals(201, created.status(), created.body());
        JsonNode key = created.json();
        assertEquals("analyst", key.path("role").asText());
        assertEquals("[\"acme-*\",\"globex\"]", key.path("connections").toString());
        Instant expires = Instant.parse(key.path("expires_at").asText());
        assertTrue(expires.isAfter(Instant.now().plusSeconds(29L * 86400)), expires.toString());
        assertTrue(key.path("key").asText().startsWith(key.path("id").asText() + "."));

        Reply listed = service.get("/api/v1/keys", Role.ADMIN);
        assertEquals(200, listed.status(), listed.body());
        assertFalse(listed.body().contains(key.path("key").asText()), "a key is shown only once");
        assertFalse(listed.body().contains("sha256"), "nor its hash");
        assertTrue(listed.body().contains(key.path("id").asText()));
    }

    @Test
    void aTenantAnalystRunsSkillsOnItsConnectionsAndAnotherTenantsIsRefusedAsIfItDidNotExist() {
        String acme = createKey("{\"role\": \"analyst\", \"connections\": [\"acme-*\"]}");
        assertEquals(200, execute(acme, "acme-prod").status());
        assertEquals(200, execute(acme, "acme-staging").status());

        long sent = service.sandbox().requestCount();
        Reply other = execute(acme, "globex");
        Reply missing = execute(acme, "no-such-connection");
        assertEquals(404, other.status(), other.body());
        assertEquals("UNKNOWN_CONNECTION", other.json().at("/error/code").asText());
        assertEquals(missing.status(), other.status());
        assertEquals(missing.json().at("/error/message").asText().replace("no-such-connection", "X"),
                other.json().at("/error/message").asText().replace("globex", "X"),
                "another tenant's connection reads exactly as one that does not exist");
        assertEquals(sent, service.sandbox().requestCount(), "nothing was sent for a refused connection");
    }

    @Test
    void aTenantAdminSeesAndManagesOnlyItsConnectionsAndMayNotManageKeys() {
        String admin = createKey("{\"role\": \"admin\", \"connections\": [\"acme-*\"]}");
        Reply list = service.send("GET", "/api/v1/connections", admin, null, null);
        assertEquals(200, list.status(), list.body());
        List<String> ids = new ArrayList<>();
        list.json().path("connections").forEach(c -> ids.add(c.path("id").asText()));
        assertEquals(List.of("acme-prod", "acme-staging"), ids.stream().sorted().toList());

        for (String[] call : new String[][]{{"GET", "/api/v1/connections/globex"},
                {"POST", "/api/v1/connections/globex/test"}, {"DELETE", "/api/v1/connections/globex"}}) {
            Reply refused = service.send(call[0], call[1], admin, call[0].equals("POST") ? "application/json" : null,
                    call[0].equals("POST") ? "" : null);
            assertEquals(404, refused.status(), call[1] + ": " + refused.body());
            assertEquals("UNKNOWN_CONNECTION", refused.json().at("/error/code").asText());
        }
        assertTrue(service.runtime().connections().summary("globex").isPresent(), "globex was not removed");
        assertEquals(200, service.send("POST", "/api/v1/connections/acme-prod/test", admin, "application/json", "")
                .status());

        ObjectNode outside = service.sandbox().connection();
        outside.put("id", "initech");
        Reply add = service.send("POST", "/api/v1/connections", admin, "application/json", outside.toString());
        assertEquals(403, add.status(), add.body());
        assertTrue(service.runtime().connections().summary("initech").isEmpty());

        Reply mint = service.send("POST", "/api/v1/keys", admin, "application/json", "{\"role\": \"admin\"}");
        assertEquals(403, mint.status(), "a tenant admin cannot mint itself a key for every connection");
        assertEquals(403, service.send("GET", "/api/v1/keys", admin, null, null).status());
        Reply upload = service.send("POST", "/api/v1/plugins", admin, "application/octet-stream", new byte[]{'P', 'K'});
        assertEquals(403, upload.status(), "a plugin runs for every customer: " + upload.body());
        assertEquals(403, service.send("DELETE", "/api/v1/plugins/cloudflare-skills", admin, null, null).status());
    }

    /**
     * Authorization before the body: a tenant's admin may not manage keys or plugins, so whatever it sends gets 403,
     * never the 400 or 413 that would tell it how the body would have been judged; a connection outside its scope
     * is 404 before a connect body is read. Decided by the access filter from the route's declarations.
     */
    @Test
    void aTenantAdminIsRefusedBeforeItsBodyIsReadOrCounted() throws Exception {
        String admin = createKey("{\"role\": \"admin\", \"connections\": [\"acme-*\"]}");
        int keys = service.runtime().keys().keys().size();
        byte[] notUtf8 = {'{', '"', 'r', 'o', 'l', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'};
        for (Object body : List.of("[1, 2", "{\"role\": \"superuser\"}", "{\"role\": \"admin\", \"role\": \"viewer\"}",
                "{\"surprise\": 1}", notUtf8, "")) {
            Reply refused = service.send("POST", "/api/v1/keys", admin, "application/json", body);
            assertEquals(403, refused.status(), refused.body());
            assertEquals("PERMISSION_DENIED", refused.json().at("/error/code").asText(), refused.body());
            assertTrue(refused.json().at("/error/message").asText().contains("may not manage API keys"),
                    refused.body());
        }
        assertEquals(keys, service.runtime().keys().keys().size(), "no key was made");
        Reply empty = service.send("POST", "/api/v1/plugins", admin, "application/octet-stream", new byte[0]);
        assertEquals(403, empty.status(), "not 400 (empty archive): " + empty.body());

        // A declared length over the route's 1 MiB: 403 for who may not call it, where an unlimited admin gets 413.
        String head = "POST /api/v1/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (2 << 20) + "\r\nAuthorization: Bearer ";
        dev.quiver.runner.testing.RawHttp.BodyWriter twoMebibytes = out -> out.write(new byte[2 << 20]);
        assertEquals(403, dev.quiver.runner.testing.RawHttp.exchange(service.port(), head + admin, twoMebibytes,
                java.time.Duration.ofSeconds(30)).status());
        assertEquals(413, dev.quiver.runner.testing.RawHttp.exchange(service.port(), head + service.key(Role.ADMIN),
                twoMebibytes, java.time.Duration.ofSeconds(30)).status());

        Reply connect = service.send("POST", "/api/v1/connections/globex/connect", admin, "application/json",
                "{\"not json");
        assertEquals(404, connect.status(), connect.body());
        assertEquals("UNKNOWN_CONNECTION", connect.json().at("/error/code").asText(), connect.body());
        // A role below the route's is refused before the body too, and a missing key before that.
        assertEquals(403, service.send("POST", "/api/v1/keys", service.key(Role.VIEWER), "application/json", "[")
                .status());
        assertEquals(401, service.send("POST", "/api/v1/keys", null, "application/json", "[").status());
    }

    @Test
    void anExpiredKeyIsRefusedWith401() throws Exception {
        String key = service.runtime().keys().create(Role.VIEWER, ConnectionScope.all(),
                Instant.now().plusMillis(800)).key();
        assertEquals(200, service.send("GET", "/api/v1/skills", key, null, null).status());
        Thread.sleep(1000);
        Reply expired = service.send("GET", "/api/v1/skills", key, null, null);
        assertEquals(401, expired.status(), expired.body());
        assertEquals("AUTHENTICATION_FAILED", expired.json().at("/error/code").asText());
    }

    @Test
    void aKeyRequestWithABadScopeOrExpiryIsRefusedAndCreatesNothing() {
        int before = service.runtime().keys().keys().size();
        for (String body : List.of("{\"role\": \"analyst\", \"connections\": []}",
                "{\"role\": \"analyst\", \"connections\": [\"../x\"]}",
                "{\"role\": \"analyst\", \"connections\": \"acme-*\"}",
                "{\"role\": \"analyst\", \"expires\": \"-1d\"}",
                "{\"role\": \"analyst\", \"expires\": \"2001-01-01T00:00:00Z\"}",
                "{\"role\": \"superuser\"}",
                "{\"role\": \"analyst\", \"tenants\": [\"acme\"]}")) {
            Reply refused = service.post("/api/v1/keys", Role.ADMIN, body);
            assertEquals(400, refused.status(), body + ": " + refused.body());
            assertEquals("INVALID_INPUT", refused.json().at("/error/code").asText());
        }
        assertEquals(before, service.runtime().keys().keys().size());
        assertEquals(403, service.post("/api/v1/keys", Role.RESPONDER, "{\"role\": \"viewer\"}").status());
    }
}

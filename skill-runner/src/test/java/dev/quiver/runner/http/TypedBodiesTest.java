package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes that take a typed record ({@link ExecutionBody}, {@link KeyRequest}, {@link ConnectionBody}) read it with the strict reader,
 * not Micronaut's Jackson binding: a duplicate key, a byte that is not UTF-8 and an unknown field are each a 400 with
 * the contract's error object, in our words, never the parser's.
 */
class TypedBodiesTest {

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

    private static Reply post(String path, Object body) {
        return service.send("POST", path, service.key(Role.ADMIN), "application/json", body);
    }

    private static void assertRefused(Reply reply, String says) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals("INVALID_INPUT", reply.json().at("/error/code").asText(), reply.body());
        String message = reply.json().at("/error/message").asText();
        assertTrue(message.contains(says), message);
        for (String internal : new String[] {"jackson", "fasterxml", "Cannot construct", "Failed to convert"}) {
            assertFalse(reply.body().toLowerCase().contains(internal.toLowerCase()), reply.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/skills/cloudflare_get_zone_details/executions", "/api/v1/keys",
            "/api/v1/connections"})
    void aDuplicateKeyIsRefusedWithItsLineAndColumn(String path) {
        Reply reply = post(path, "{\"connection\": \"sandbox\", \"role\": \"viewer\",\n \"role\": \"admin\","
                + " \"connection\": \"other\"}");
        assertRefused(reply, "line 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/skills/cloudflare_get_zone_details/executions", "/api/v1/keys",
            "/api/v1/connections"})
    void aByteThatIsNotUtf8IsRefused(String path) {
        byte[] body = "{\"connection\": \"sandbox\", \"role\": \"viewer\", \"x\": \"\u0000\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3; // a lead byte with no continuation
        assertRefused(post(path, body), "UTF-8");
    }

    @org.junit.jupiter.api.Test
    void anUnknownFieldIsNamed() {
        assertRefused(post("/api/v1/skills/cloudflare_get_zone_details/executions",
                "{\"connection\": \"sandbox\", \"surprise\": 1}"), "surprise");
        assertRefused(post("/api/v1/keys", "{\"role\": \"viewer\", \"surprise\": 1}"), "surprise");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/skills/cloudflare_get_zone_details/executions", "/api/v1/keys",
            "/api/v1/connections"})
    void aBodyThatIsNotAnObjectIsRefused(String path) {
        assertRefused(post(path, "[1, 2]"), "JSON object");
    }

    @org.junit.jupiter.api.Test
    void aWellFormedKeyRequestCreatesTheKey() {
        Reply reply = post("/api/v1/keys", "{\"role\": \"viewer\", \"connections\": [\"acme-*\"], \"expires\": \"30d\"}");
        assertEquals(201, reply.status(), reply.body());
        assertEquals("viewer", reply.json().at("/role").asText(), reply.body());
    }

    @org.junit.jupiter.api.Test
    void aConnectionWithoutItsEnvelopeIsRefusedNamingEachFieldAndNothingIsStored() {
        Reply refused = post("/api/v1/connections", "{\"id\": 7, \"auth\": {\"token\": \"tok-not-echoed\"}}");
        assertRefused(refused, "not a connection");
        java.util.List<String> pointers = new java.util.ArrayList<>();
        refused.json().at("/error/details").forEach(d -> pointers.add(d.path("pointer").asText()));
        assertEquals(java.util.List.of("/id", "/type", "/auth/method"), pointers, refused.body());
        assertFalse(refused.body().contains("tok-not-echoed"), "a secret is never answered back");
        assertEquals(0, service.get("/api/v1/connections", Role.ADMIN).json().path("connections").findValues("id")
                .stream().filter(id -> id.asText().equals("7")).count());
    }
}

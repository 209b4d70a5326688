package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.Credential;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {

    private static final String KEY = "c2547eb745079dac9320b638f5e225cf483cc5cfdda41";
    private static final String EMAIL = "soc@example.com";

    private static Redactor globalKey() {
        Connection connection = new Connection("c", "acme", new Credential("global_api_key",
                Map.of("email", EMAIL, "key", KEY)), TestSkills.settings(TestSkills.ACCOUNT, null, List.of()), null, null);
        return Redactor.of(connection, TestSkills.TYPE);
    }

    @Test
    void secretsAreMaskedInStringsAndKeysAtAnyDepth() throws Exception {
        JsonNode output = Json.MAPPER.readTree("{\"a\": [{\"echo\": \"X-Auth-Key: " + KEY + "\"}],"
                + " \"by_key\": {\"" + KEY + "\": 1, \"" + EMAIL + "\": 2}, \"n\": 3, \"plain\": \"kept\"}");

        JsonNode clean = globalKey().json(output);

        assertFalse(clean.toString().contains(KEY) || clean.toString().contains(EMAIL), clean.toString());
        assertEquals("X-Auth-Key: [redacted]", clean.at("/a/0/echo").asText());
        assertEquals(2, clean.path("by_key").size(), "keys masked alike keep both values: " + clean);
        assertEquals("kept", clean.path("plain").asText());
        assertEquals(3, clean.path("n").asInt());
        assertTrue(output.toString().contains(KEY), "the skill's own tree is left as it was");
    }

    @Test
    void aBearerHeaderIsMaskedWhole() throws Exception {
        String token = "tok_0123456789abcdef";
        Connection connection = new Connection("c", "acme", new Credential("api_token", Map.of("token", token)),
                TestSkills.settings(TestSkills.ACCOUNT, null, List.of()), null, null);

        JsonNode clean = Redactor.of(connection, TestSkills.TYPE).json(Json.MAPPER.readTree(
                "{\"seen\": \"Authorization: Bearer " + token + "\"}"));

        assertEquals("Authorization: [redacted]", clean.path("seen").asText());
    }

    @Test
    void anOutputWithoutSecretsIsReturnedAsItIsWithoutACopy() {
        ObjectNode output = bigOutput(20_000);

        assertSame(output, globalKey().json(output));
    }

    // Not a benchmark, a bound: the check reads every string once; on a ~2 MB output it stays well under the time
    // a copy would take. Printed for PERFORMANCE.md.
    @Test
    void checkingALargeOutputIsCheap() {
        ObjectNode output = bigOutput(20_000);
        Redactor redactor = globalKey();
        for (int warm = 0; warm < 20; warm++) {
            redactor.json(output);
        }
        long started = System.nanoTime();
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            assertSame(output, redactor.json(output));
        }
        long micros = (System.nanoTime() - started) / 1_000 / rounds;
        long serialise = time(() -> Json.MAPPER.valueToTree(output));
        System.out.println("redaction check of a " + output.toString().length() + "-char output: " + micros
                + " us (a tree copy: " + serialise + " us)");
        assertTrue(micros < 500_000, micros + " us");
    }

    private static long time(Runnable work) {
        for (int warm = 0; warm < 5; warm++) {
            work.run();
        }
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            work.run();
        }
        return (System.nanoTime() - started) / 1_000 / 20;
    }

    private static ObjectNode bigOutput(int items) {
        ObjectNode output = Json.MAPPER.createObjectNode();
        ArrayNode events = output.putArray("events");
        for (int i = 0; i < items; i++) {
            events.addObject().put("id", "ev_" + i).put("actor", "user" + i + "@example.org")
                    .put("action", "zone.settings.update").put("when", "2026-11-27T10:00:00Z").put("n", i);
        }
        return output;
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one analyst's batch may ask: a line cap, strict UTF-8, no duplicate keys, only connections in scope. */
class BatchLimitsTest {

    private static final String READ = "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {}}";

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

    private static Reply batch(String key, Object body) {
        return service.send("POST", "/api/v1/batch?connection=sandbox", key, "application/x-ndjson", body);
    }

    /** The newest execution record's id, to prove none was added. */
    private static String newestRecord() {
        JsonNode page = service.get("/api/v1/executions?limit=1", Role.ADMIN).json();
        return page.at("/executions/0/id").asText("none");
    }

    @Test
    void aBatchOfMoreThanTenThousandLinesIs413AndNothingRunsOrIsRecorded() {
        String before = newestRecord();
        long sandbox = service.sandbox().requestCount();
        String line = "{\"skill\": \"no_such_skill\"}\n";
        Reply reply = batch(service.key(Role.ANALYST), line.repeat(10_001));
        assertEquals(413, reply.status(), reply.body().substring(0, Math.min(300, reply.body().length())));
        assertEquals("INVALID_INPUT", reply.json().at("/error/code").asText());
        assertTrue(reply.json().at("/error/message").asText().contains("10000"), reply.body());
        assertEquals(before, newestRecord(), "nothing recorded");
        assertEquals(sandbox, service.sandbox().requestCount(), "nothing sent");
    }

    @Test
    void aBatchOfExactlyTheCapRuns() {
        Reply reply = batch(service.key(Role.ANALYST), "{\"skill\": \"no_such_skill\"}\n".repeat(10_000));
        assertEquals(200, reply.status());
        assertEquals(10_000, reply.body().lines().count());
    }

    @Test
    void aBatchThatIsNotUtf8Is400NamingTheLineAndNothingRuns() throws Exception {
        String before = newestRecord();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write((READ + "\n").getBytes(StandardCharsets.UTF_8));
        body.write("{\"skill\": \"cloudflare_get_zone_details\", \"id\": \"caf".getBytes(StandardCharsets.UTF_8));
        body.write(new byte[]{(byte) 0xC3, (byte) 0x28});
        body.write("\", \"input\": {}}\n".getBytes(StandardCharsets.UTF_8));
        Reply reply = batch(service.key(Role.ANALYST), body.toByteArray());
        assertEquals(400, reply.status(), reply.body());
        assertEquals("INVALID_INPUT", reply.json().at("/error/code").asText());
        assertTrue(reply.json().at("/error/message").asText().contains("line 2"), reply.body());
        assertEquals(before, newestRecord(), "not even line 1 ran");
    }

    @Test
    void aBatchLineWithADuplicateKeyIsRefusedAndDoesNotRun() throws Exception {
        String before = newestRecord();
        Reply reply = batch(service.key(Role.RESPONDER), "{\"skill\": \"cloudflare_get_zone_details\", \"skill\":"
                + " \"cloudflare_create_ruleset_rule\", \"input\": {}}\n"
                + "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {\"limit\": 1, \"limit\": 2}}\n");
        assertEquals(200, reply.status(), reply.body());
        List<String> lines = reply.body().lines().toList();
        assertEquals(2, lines.size());
        for (String text : lines) {
            JsonNode line = Json.MAPPER.readTree(text);
            assertEquals("INVALID_INPUT", line.at("/error/code").asText(), text);
            assertTrue(line.at("/error/message").asText().contains("duplicate"), text);
            assertFalse(line.at("/error").has("execution_id"), "refused before the pipeline: " + text);
        }
        assertEquals(before, newestRecord(), "nothing ran");
    }

    @Test
    void aBatchOnAConnectionOutsideTheKeysScopeIs404AndNothingRunsOrIsRecorded() {
        String before = newestRecord();
        String scoped = service.runtime().keys().create(Role.ANALYST, ConnectionScope.of(List.of("prod-*")), null)
                .key();
        Reply reply = batch(scoped, READ + "\n" + READ + "\n");
        assertEquals(404, reply.status(), reply.body());
        assertEquals("UNKNOWN_CONNECTION", reply.json().at("/error/code").asText(), reply.body());
        assertEquals(before, newestRecord(), "nothing recorded");
    }

    @Test
    void aBatchThatNamesNoConnectionIs400SayingHowToNameOneAndNothingRuns() {
        String before = newestRecord();
        Reply reply = service.send("POST", "/api/v1/batch", service.key(Role.ANALYST), "application/x-ndjson", READ);
        assertEquals(400, reply.status(), reply.body());
        assertEquals("INVALID_INPUT", reply.json().at("/error/code").asText(), reply.body());
        assertTrue(reply.json().at("/error/message").asText().contains("?connection=ID"), reply.body());
        assertEquals(before, newestRecord(), "nothing ran");
    }
}

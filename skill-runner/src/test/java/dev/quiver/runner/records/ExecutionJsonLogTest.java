package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.quiver.runner.testing.TestSkills.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ExecutionJsonLogTest {

    @Test
    void writesOneJsonLinePerExecutionWithTheRecordsFieldsAndNothingMore() throws Exception {
        StringWriter out = new StringWriter();
        ExecutionJsonLog lines = new ExecutionJsonLog(new PrintWriter(out));
        ExecutionRequest request = new ExecutionRequest("acme_zone", "conn", json("{\"note\": \"secret-ish\"}"),
                false, Duration.ofSeconds(5));
        ExecutionResult result = new ExecutionResult("ex_1", "acme_zone", "conn", Instant.now(), Duration.ofMillis(12),
                json("{\"ok\": true, \"payload\": \"output-text\"}"), null, List.of("ray-1"), 1, List.of(),
                json("{\"note\": \"[redacted: 10 chars]\"}"), 30, false);
        lines.finished(request, result);
        lines.finished(request, result);

        List<String> written = out.toString().lines().toList();
        assertEquals(2, written.size());
        JsonNode line = Json.MAPPER.readTree(written.get(0));
        assertEquals("execution", line.path("event").asText());
        assertEquals("ex_1", line.path("id").asText());
        assertEquals("succeeded", line.path("status").asText());
        assertEquals("ray-1", line.at("/request_ids/0").asText());
        assertEquals("cli", line.path("caller").asText());
        assertFalse(written.get(0).contains("secret-ish"), "the input as recorded, not as sent");
        assertFalse(written.get(0).contains("output-text"), "never the output");
    }
}

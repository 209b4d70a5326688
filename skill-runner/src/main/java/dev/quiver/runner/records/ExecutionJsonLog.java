package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

import java.io.PrintWriter;
import java.time.Instant;

/**
 * Structured logs: one JSON line per execution, the execution record's fields, for a log shipper. Holds what the
 * record holds and nothing more, so no secret.
 */
public final class ExecutionJsonLog implements ExecutionObserver {

    private final PrintWriter out;

    public ExecutionJsonLog(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) throws Exception {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("ts", Instant.now().toString());
        line.put("event", "execution");
        line.setAll(ExecutionRecord.of(request, result).toJson());
        String text = Json.MAPPER.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}

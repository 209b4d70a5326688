package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.quiver.runner.pipeline.RecordedInput;

/**
 * What Quiver keeps of one execution. Never a secret: the input only as {@link RecordedInput} allows, the output as
 * the pipeline redacted it; each cut to a marker past a size (see {@link CappedJson}).
 *
 * @param id           the execution's id
 * @param skill        the skill asked for
 * @param connection   the connection's id (or the reference given when it did not resolve)
 * @param caller       the API key's id, or {@code cli}
 * @param source       {@code cli}, {@code http} or {@code batch}
 * @param started      when it started
 * @param durationMs   how long it took
 * @param status       {@code succeeded} or {@code failed}
 * @param errorCode    the contract's error code, or {@code null}
 * @param requestIds   the vendor's request ids
 * @param requestsSent how many requests went to the vendor
 * @param outputBytes  the size of the output's JSON, 0 on failure
 * @param dryRun       whether it was a dry run
 * @param input        the input, redacted (and capped), or {@code null}
 * @param output       the output, redacted (and capped), or {@code null} on failure, in a list, or in records older
 *                     than the records database
 */
public record ExecutionRecord(String id, String skill, String connection, String caller, String source,
                              Instant started, long durationMs, String status, String errorCode,
                              List<String> requestIds, int requestsSent, long outputBytes, boolean dryRun,
                              JsonNode input, JsonNode output) {

    public ExecutionRecord {
        requestIds = List.copyOf(requestIds);
    }

    /** The record of a finished execution, without its output (what a log line holds; the store adds it). */
    public static ExecutionRecord of(ExecutionRequest request, ExecutionResult result) {
        return new ExecutionRecord(result.executionId(), result.skillId(), result.connectionId(),
                request.caller().id(), request.source(), result.started(), result.duration().toMillis(),
                result.status(), result.succeeded() ? null : result.failure().code().name(), result.requestIds(),
                result.requestsSent(), result.outputBytes(), request.dryRun(), result.input(), null);
    }

    /** This record with another input and output. */
    public ExecutionRecord with(JsonNode input, JsonNode output) {
        return new ExecutionRecord(id, skill, connection, caller, source, started, durationMs, status, errorCode,
                requestIds, requestsSent, outputBytes, dryRun, input, output);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("skill", skill);
        node.put("connection", connection);
        node.put("caller", caller);
        node.put("source", source);
        node.put("started", started.toString());
        node.put("duration_ms", durationMs);
        node.put("status", status);
        if (errorCode != null) {
            node.put("error_code", errorCode);
        }
        requestIds.forEach(node.putArray("request_ids")::add);
        node.put("requests_sent", requestsSent);
        node.put("output_bytes", outputBytes);
        node.put("dry_run", dryRun);
        if (input != null) {
            node.set("input", input);
        }
        if (output != null) {
            node.set("output", output);
        }
        return node;
    }

    static ExecutionRecord fromJson(JsonNode node) {
        List<String> requestIds = new ArrayList<>();
        node.path("request_ids").forEach(id -> requestIds.add(id.asText()));
        return new ExecutionRecord(node.path("id").asText(), node.path("skill").asText(),
                node.path("connection").asText(null), node.path("caller").asText(null), node.path("source").asText(null),
                Instant.parse(node.path("started").asText()), node.path("duration_ms").asLong(),
                node.path("status").asText(), node.path("error_code").asText(null), requestIds,
                node.path("requests_sent").asInt(), node.path("output_bytes").asLong(),
                node.path("dry_run").asBoolean(), node.get("input"), node.get("output"));
    }
}

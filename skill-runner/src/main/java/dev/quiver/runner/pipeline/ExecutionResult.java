package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import dev.quiver.runner.failure.Failure;

/**
 * What one execution came to: an output or a failure, with what the execution record needs.
 *
 * @param executionId  the execution's id
 * @param skillId      the skill asked for
 * @param connectionId the connection's id, or the reference given when it could not be resolved
 * @param started      when the pipeline took the request
 * @param duration     how long it took
 * @param output       the validated output, or {@code null} on failure
 * @param failure      the failure, or {@code null} on success
 * @param requestIds   the vendor's request ids of the requests it sent
 * @param requestsSent how many requests it sent to the vendor
 * @param warnings     what the caller should know although it ran
 * @param input        the input as a record may keep it (see {@code RecordedInput}), or {@code null} when the skill
 *                     was not found
 * @param outputBytes  the size of the output's JSON, 0 on failure
 * @param write        whether the skill is a write skill: its record is committed durably before the answer
 */
public record ExecutionResult(String executionId, String skillId, String connectionId, Instant started,
                              Duration duration, JsonNode output, Failure failure, List<String> requestIds,
                              int requestsSent, List<String> warnings, JsonNode input, long outputBytes,
                              boolean write) {

    public ExecutionResult {
        requestIds = List.copyOf(requestIds);
        warnings = List.copyOf(warnings);
    }

    /** This result with one more warning. */
    public ExecutionResult warn(String warning) {
        List<String> more = new java.util.ArrayList<>(warnings);
        more.add(warning);
        return new ExecutionResult(executionId, skillId, connectionId, started, duration, output, failure, requestIds,
                requestsSent, more, input, outputBytes, write);
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** {@code succeeded} or {@code failed}; the failure's code says why. */
    public String status() {
        return failure == null ? "succeeded" : "failed";
    }
}

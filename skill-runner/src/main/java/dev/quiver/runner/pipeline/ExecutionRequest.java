package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Caller;

import java.time.Duration;

/**
 * A request to run one skill.
 *
 * @param skillId    the skill's id
 * @param connection the connection reference (an id, or on the CLI a file path)
 * @param input      the skill's input
 * @param dryRun     ask a write skill to describe instead of writing
 * @param timeout    how long the execution may take, from when it starts
 * @param caller     who asks: decides whether it may run read or write skills, and is recorded
 * @param source     where it came from, for the record: {@code cli}, {@code http} or {@code batch}
 */
public record ExecutionRequest(String skillId, String connection, JsonNode input, boolean dryRun, Duration timeout,
                               Caller caller, String source) {

    /** A request from the operator at the command line. */
    public ExecutionRequest(String skillId, String connection, JsonNode input, boolean dryRun, Duration timeout) {
        this(skillId, connection, input, dryRun, timeout, Caller.OPERATOR, "cli");
    }
}

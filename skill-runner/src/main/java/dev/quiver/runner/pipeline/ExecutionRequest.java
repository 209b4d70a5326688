package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * A request to run one skill.
 *
 * @param skillId    the skill's id
 * @param connection the connection reference (an id, or on the CLI a file path)
 * @param input      the skill's input
 * @param dryRun     ask a write skill to describe instead of writing
 * @param timeout    how long the execution may take, from when it starts
 */
public record ExecutionRequest(String skillId, String connection, JsonNode input, boolean dryRun, Duration timeout) {
}

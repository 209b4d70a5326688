package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/skills/{id}/executions}: {@code {"connection", "input"?, "dry_run"?,
 * "timeout_seconds"?}}. Read by {@link StrictBodyReader} (strict UTF-8, each key once), then checked here field by
 * field; anything else is refused with a 400 that names the field.
 *
 * @param connection a stored connection's id
 * @param input      the skill's input, checked later against its input schema
 * @param dryRun     whether the skill should only say what it would do
 * @param timeout    how long the execution may take
 */
@Schema(name = "ExecutionBody", description = "What to run the skill on and with")
public record ExecutionBody(
        @Schema(description = "A stored connection's id", requiredMode = Schema.RequiredMode.REQUIRED) String connection,
        @Schema(description = "The skill's input (its input_schema)", implementation = Object.class)
        ObjectNode input,
        @Schema(name = "dry_run", description = "Say what would be done, do nothing") boolean dryRun,
        @Schema(name = "timeout_seconds", type = "integer", minimum = "1", maximum = "900",
                description = "Seconds the execution may take; 60 when absent") Duration timeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final long MAX_TIMEOUT_SECONDS = 900;
    private static final Set<String> FIELDS = Set.of("connection", "input", "dry_run", "timeout_seconds");

    public ExecutionBody {
        Objects.requireNonNull(connection);
        input = input.deepCopy();
        Objects.requireNonNull(timeout);
    }

    /** Reads the body's JSON object, refusing an unknown field or a field of the wrong type. */
    static ExecutionBody from(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'",
                        "An execution takes connection, input, dry_run and timeout_seconds.");
            }
        }
        JsonNode connection = body.get("connection");
        if (connection == null || !connection.isTextual() || connection.asText().isBlank()) {
            throw ApiException.badRequest("'connection' must be a stored connection's id",
                    "GET /api/v1/connections lists them.");
        }
        JsonNode input = body.has("input") ? body.get("input") : Json.MAPPER.createObjectNode();
        if (!input.isObject()) {
            throw ApiException.badRequest("'input' must be a JSON object", "See the skill's input_schema.");
        }
        JsonNode dryRun = body.path("dry_run");
        if (!dryRun.isMissingNode() && !dryRun.isBoolean()) {
            throw ApiException.badRequest("'dry_run' must be true or false", null);
        }
        JsonNode seconds = body.get("timeout_seconds");
        Duration timeout = seconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds(seconds));
        return new ExecutionBody(connection.asText(), (ObjectNode) input, dryRun.asBoolean(false), timeout);
    }

    /**
     * A whole number of seconds from 1 to {@link #MAX_TIMEOUT_SECONDS}. A fraction is refused, not truncated: 1.5
     * taken as 1 would cut an execution short that its caller gave more time. (2.0 is a whole number.)
     */
    private static long timeoutSeconds(JsonNode seconds) {
        boolean whole = seconds.isIntegralNumber()
                || seconds.isFloatingPointNumber() && Double.isFinite(seconds.doubleValue())
                && seconds.doubleValue() == Math.rint(seconds.doubleValue());
        if (!seconds.isNumber() || !whole) {
            throw ApiException.badRequest("'timeout_seconds' must be a whole number of seconds, not " + brief(seconds),
                    "Send an integer from 1 to " + MAX_TIMEOUT_SECONDS + ", e.g. \"timeout_seconds\": 60.");
        }
        if (!seconds.canConvertToLong() || seconds.longValue() < 1 || seconds.longValue() > MAX_TIMEOUT_SECONDS) {
            throw ApiException.badRequest("'timeout_seconds' must be from 1 to " + MAX_TIMEOUT_SECONDS
                    + " seconds, not " + brief(seconds), "The default is " + DEFAULT_TIMEOUT.toSeconds()
                    + "; a longer run is for the CLI or a batch.");
        }
        return seconds.longValue();
    }

    private static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.Views;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/** The catalogue, and running a skill: a thin shell over the pipeline the CLI uses. */
@Controller("/api/v1/skills")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SkillsController {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final long MAX_TIMEOUT_SECONDS = 900;
    private static final Set<String> EXECUTION_FIELDS = Set.of("connection", "input", "dry_run", "timeout_seconds");

    private final QuiverRuntime runtime;

    SkillsController(QuiverRuntime runtime) {
        this.runtime = runtime;
    }

    @Get
    @Allowed(Role.VIEWER)
    ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode skills = body.putArray("skills");
        runtime.catalog().entries().forEach(e -> skills.add(Views.summary(e)));
        return body;
    }

    @Get("/{id}")
    @Allowed(Role.VIEWER)
    ObjectNode describe(@PathVariable String id) {
        return runtime.catalog().find(id).map(Views::descriptor).orElseThrow(() -> unknownSkill(id));
    }

    @Post("/{id}/executions")
    @Allowed(Role.ANALYST)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<JsonNode> execute(@PathVariable String id, @Nullable @Body byte[] body, HttpRequest<?> request) {
        ExecutionRequest execution = executionRequest(id, Bodies.object(body, "{\"connection\", \"input\"}"),
                request, "http");
        ExecutionResult result = runtime.pipeline().execute(execution);
        if (!result.succeeded()) {
            throw ApiException.of(result);
        }
        return HttpResponse.ok(Views.result(result));
    }

    /** Reads {@code {"connection", "input", "dry_run", "timeout_seconds"}}, refusing anything else. */
    static ExecutionRequest executionRequest(String skillId, JsonNode body, HttpRequest<?> request, String source) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!EXECUTION_FIELDS.contains(name)) {
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
        return new ExecutionRequest(skillId, connection.asText(), input, dryRun.asBoolean(false), timeout,
                AccessFilter.caller(request), source);
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

    private static ApiException unknownSkill(String id) {
        return new ApiException(Failure.of(ErrorCode.UNKNOWN_SKILL, "no installed skill has the id '" + id + "'",
                "GET /api/v1/skills lists the installed skills."));
    }
}

package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.connection.ConnectionSource;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.batch.BatchInput;
import dev.quiver.runner.batch.BatchRunner;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * {@code batch} over HTTP: JSON Lines in, one result line per request out, in order. Everything that refuses a batch
 * as a whole is decided before its first line runs: its size (the body limit, then the line cap: 413), its encoding
 * (400) and its connection, which must be in the caller's scope (404).
 */
@ApiDocs.Keyed
@Controller("/api/v1/batch")
@ExecuteOn(TaskExecutors.BLOCKING)
final class BatchController {

    /** The property with the most request lines one batch may have. */
    static final String MAX_LINES = "quiver.batch.max-lines";

    private static final int MAX_CONCURRENCY = 64;

    private final ExecutionPipeline pipeline;
    private final ConnectionSource connections;
    private final int maxLines;

    BatchController(ExecutionPipeline pipeline, ConnectionSource connections,
                    @Value("${" + MAX_LINES + ":" + BatchInput.DEFAULT_MAX_LINES + "}") int maxLines) {
        this.pipeline = pipeline;
        this.connections = connections;
        this.maxLines = maxLines;
    }

    @Post
    @Allowed(value = Role.ANALYST, maxBodyBytes = Allowed.BATCH_BODY)
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @ApiResponse(responseCode = "200", description = "JSON Lines: one line per request, in the requests' order, each"
            + " an ExecutionResult or an ErrorBody, with the request's id when it had one",
            content = @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")))
    @ApiDocs.Refused
    @ApiDocs.WithBody
    @ApiDocs.Named
    HttpResponse<String> run(@io.swagger.v3.oas.annotations.Parameter(required = true, description = "The connection"
            + " every line runs on") @Nullable @QueryValue String connection, @Nullable @QueryValue Integer concurrency,
                             @Nullable @Body @Schema(type = "string", description = "JSON Lines, UTF-8:"
                             + " one request a line, {\"skill\", \"input\"?, \"dry_run\"?, \"id\"?}; at most 10,000 lines (the"
                             + " service's --batch-max-lines) and 16 MiB") byte[] body, HttpRequest<?> request) throws IOException {
        if (connection == null || connection.isBlank()) {
            // checked here, not by the router: its own words ("Required QueryValue …") name no remedy
            throw ApiException.badRequest("the batch names no connection: add ?connection=ID to the URL",
                    "Every line of a batch runs on the connection named by the 'connection' query parameter.");
        }
        int parallel = concurrency == null ? BatchRunner.DEFAULT_CONCURRENCY : concurrency;
        if (parallel < 1 || parallel > MAX_CONCURRENCY) {
            throw ApiException.badRequest("concurrency must be from 1 to " + MAX_CONCURRENCY, null);
        }
        List<String> lines;
        try {
            lines = BatchInput.read(new ByteArrayInputStream(body == null ? new byte[0] : body), maxLines);
        } catch (BatchInput.Refused refused) {
            throw refused.tooManyLines()
                    ? new ApiException(413, Failure.of(ErrorCode.INVALID_INPUT, refused.getMessage(),
                    "Send at most " + maxLines + " lines per batch (the service's --batch-max-lines)."))
                    : ApiException.badRequest(refused.getMessage(), "Send the batch as UTF-8 JSON Lines.");
        }
        Caller caller = AccessFilter.caller(request);
        try {
            // Once, up front: a connection out of the caller's scope is refused whole, not once per line.
            connections.resolve(connection, caller);
        } catch (FailureException e) {
            throw new ApiException(e.failure());
        }
        StringBuilder out = new StringBuilder();
        new BatchRunner(pipeline, parallel).run(lines, line -> out.append(line).append('\n'), connection,
                caller, "batch", SkillsController.DEFAULT_TIMEOUT);
        return HttpResponse.ok(out.toString()).contentType("application/x-ndjson");
    }
}

package dev.quiver.runner.http;

import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.batch.BatchRunner;
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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;

/** {@code batch} over HTTP: JSON Lines in, one result line per request out, in order. */
@Controller("/api/v1/batch")
@ExecuteOn(TaskExecutors.BLOCKING)
final class BatchController {

    private static final int MAX_CONCURRENCY = 64;

    private final QuiverRuntime runtime;

    BatchController(QuiverRuntime runtime) {
        this.runtime = runtime;
    }

    @Post
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    HttpResponse<String> run(@QueryValue String connection, @Nullable @QueryValue Integer concurrency,
                             @Nullable @Body String body, HttpRequest<?> request) throws IOException {
        int parallel = concurrency == null ? BatchRunner.DEFAULT_CONCURRENCY : concurrency;
        if (parallel < 1 || parallel > MAX_CONCURRENCY) {
            throw ApiException.badRequest("concurrency must be from 1 to " + MAX_CONCURRENCY, null);
        }
        StringBuilder out = new StringBuilder();
        new BatchRunner(runtime.pipeline(), parallel).run(new BufferedReader(new StringReader(body == null ? "" : body)),
                line -> out.append(line).append('\n'), connection, AccessFilter.caller(request), "batch",
                SkillsController.DEFAULT_TIMEOUT);
        return HttpResponse.ok(out.toString()).contentType("application/x-ndjson");
    }
}

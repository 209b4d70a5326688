package dev.quiver.runner.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs JSON Lines requests ({@code {"skill": ID, "input": {...}}}, optionally {@code "dry_run"} and a client
 * {@code "id"} echoed back) through the pipeline, {@code concurrency} at a time, and writes one result line per
 * request in the order the requests came. A bad line (not JSON, a duplicate key, no skill) gets an error line and
 * the batch goes on. The lines were read, capped and decoded before the first runs ({@link BatchInput}); at most
 * twice {@code concurrency} results wait to be written. The vendor's pacing is the plugin's: concurrent requests on
 * one credential share its rate budget.
 */
public final class BatchRunner {

    /** A request line: a duplicate key anywhere in it is refused. */
    private static final ObjectReader LINE = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** How many requests a batch runs at once by default. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private final ExecutionPipeline pipeline;
    private final int concurrency;

    public BatchRunner(ExecutionPipeline pipeline, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.pipeline = pipeline;
        this.concurrency = concurrency;
    }

    /** Told of each request as its result is handed on, in order. */
    @FunctionalInterface
    public interface Progress {
        void finished(boolean succeeded);
    }

    /** What a batch came to. */
    public record Summary(int requests, int succeeded, int failed) {
    }

    /**
     * Runs every request of {@code lines} on {@code connection} and hands each result line to {@code out}, in order.
     *
     * @param timeout each request's timeout
     */
    public Summary run(List<String> lines, Consumer<String> out, String connection, Caller caller, String source,
                       Duration timeout) throws IOException {
        return run(lines, out, connection, caller, source, timeout, succeeded -> { });
    }

    /**
     * Runs the batch as {@link #run(List, Consumer, String, Caller, String, Duration)} does, telling {@code progress}
     * of each request as its result line is handed on.
     */
    public Summary run(List<String> lines, Consumer<String> out, String connection, Caller caller, String source,
                       Duration timeout, Progress progress) throws IOException {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "quiver-batch");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<ObjectNode>> window = new ArrayDeque<>();
        AtomicInteger succeeded = new AtomicInteger();
        int requests = 0;
        int lineNumber = 0;
        try {
            for (String line : lines) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                requests++;
                int number = lineNumber;
                String text = line;
                window.add(workers.submit(() -> one(number, text, connection, caller, source, timeout)));
                if (window.size() >= concurrency * 2) {
                    emit(window.poll(), out, succeeded, progress);
                }
            }
            while (!window.isEmpty()) {
                emit(window.poll(), out, succeeded, progress);
            }
        } finally {
            workers.shutdownNow();
        }
        return new Summary(requests, succeeded.get(), requests - succeeded.get());
    }

    private static void emit(Future<ObjectNode> result, Consumer<String> out, AtomicInteger succeeded,
                             Progress progress) throws IOException {
        try {
            ObjectNode line = result.get();
            boolean ok = !line.has("error");
            if (ok) {
                succeeded.incrementAndGet();
            }
            out.accept(Json.MAPPER.writeValueAsString(line));
            progress.finished(ok);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the batch was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a batch request failed outside the pipeline", e.getCause());
        }
    }

    private ObjectNode one(int number, String text, String connection, Caller caller, String source,
                           Duration timeout) {
        JsonNode request;
        try {
            request = LINE.readTree(text);
        } catch (JsonProcessingException e) {
            // Two values for one key: which one a reader takes is up to the reader, so the line runs nothing.
            String problem = e.getOriginalMessage();
            return refused(number, null, problem != null && problem.startsWith("Duplicate field")
                    ? "line " + number + " has a duplicate key: " + problem.substring("Duplicate field ".length())
                    .strip() : "line " + number + " is not JSON");
        } catch (IOException e) {
            return refused(number, null, "line " + number + " is not JSON");
        }
        if (request == null || !request.isObject()) {
            return refused(number, null, "line " + number + " is not a JSON object");
        }
        JsonNode id = request.get("id");
        JsonNode skill = request.get("skill");
        JsonNode input = request.has("input") ? request.get("input") : Json.MAPPER.createObjectNode();
        JsonNode dryRun = request.path("dry_run");
        if (skill == null || !skill.isTextual()) {
            return refused(number, id, "line " + number + " has no \"skill\" (a skill id)");
        }
        if (!input.isObject()) {
            return refused(number, id, "line " + number + ": \"input\" must be a JSON object");
        }
        if (!dryRun.isMissingNode() && !dryRun.isBoolean()) {
            return refused(number, id, "line " + number + ": \"dry_run\" must be true or false");
        }
        ExecutionResult result = pipeline.execute(new ExecutionRequest(skill.asText(), connection, input,
                dryRun.asBoolean(false), timeout, caller, source));
        return numbered(number, id, ContractJson.result(result));
    }

    private static ObjectNode refused(int number, JsonNode id, String message) {
        return numbered(number, id, ContractJson.error(Failure.of(ErrorCode.INVALID_INPUT, message,
                "Each line is {\"skill\": ID, \"input\": {...}}, optionally with \"dry_run\" and \"id\"."), null, null));
    }

    private static ObjectNode numbered(int number, JsonNode id, ObjectNode body) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("line", number);
        if (id != null) {
            line.set("id", id);
        }
        line.setAll(body);
        return line;
    }
}

package dev.quiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.sandbox.CloudflareSandbox;
import dev.quiver.sandbox.RateLimit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 5: 10,000 enrichment requests through {@code java -jar skill-runner.jar batch} against the sandbox,
 * once with a quota it never meets and once enforcing Cloudflare's 1200 requests per 5 minutes. The baseline is
 * the same number of direct GETs to the sandbox at the same concurrency.
 */
final class BatchPacing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 16;

    private BatchPacing() {
    }

    static Report.Section run(boolean quick) throws Exception {
        int requests = quick ? 2_000 : 10_000;
        Path dir = Bench.tempDir("batch");
        try {
            Outcome free;
            double directPerSecond;
            try (CloudflareSandbox sandbox = CloudflareSandbox.start(0, RateLimit.GENEROUS)) {
                free = batch(sandbox, dir.resolve("free"), requests);
                directPerSecond = direct(sandbox, requests);
            }
            Outcome paced;
            try (CloudflareSandbox sandbox = CloudflareSandbox.start(0, RateLimit.CLOUDFLARE)) {
                paced = batch(sandbox, dir.resolve("paced"), requests);
            }
            double ratio = free.perSecond() / directPerSecond;
            return new Report.Section("Batch",
                    String.format(Locale.ROOT, "%,d lines (zone details and audit logs by actor, alternating) into"
                                    + " `java -jar skill-runner.jar batch --concurrency %d`, wall time including the"
                                    + " JVM's start; the baseline is the same requests sent straight to the sandbox by"
                                    + " %d OkHttp threads in the benchmark's warm JVM. With Cloudflare's rule enforced, Quiver's pacer"
                                    + " sends at most 1200 and refuses the rest before sending, each with its"
                                    + " `retry_after_seconds`, instead of drawing the 5-minute lock-out.",
                            requests, CONCURRENCY, CONCURRENCY),
                    List.of(List.of("sandbox quota", "wall s", "lines/s", "succeeded", "RATE_LIMITED",
                                    "other errors", "requests the sandbox answered", "429s it sent"),
                            free.row("1,000,000 / 5 min"),
                            paced.row("1,200 / 5 min (Cloudflare)"),
                            List.of("direct GETs (baseline)", "", Report.perSecond(directPerSecond), "", "", "", "",
                                    "")),
                    String.format(Locale.ROOT, "%s lines/s (ratio %s to direct); paced: %d sent, %d 429s",
                            Report.perSecond(free.perSecond()), Report.ratio(ratio), paced.sandboxRequests(),
                            paced.tooMany()),
                    "report; paced run draws no 429", paced.tooMany() == 0);
        } finally {
            Bench.delete(dir);
        }
    }

    /** The same requests the batch makes (a zone, then audit logs by actor), sent straight to the sandbox. */
    private static double direct(CloudflareSandbox sandbox, int requests) throws Exception {
        String token = sandbox.connection().at("/auth/token").asText();
        String zone = sandbox.connection().path("zone_id").asText();
        String account = sandbox.connection().path("account_id").asText();
        List<Request> mix = List.of(
                new Request.Builder().url(sandbox.baseUrl() + "/zones/" + zone)
                        .header("Authorization", "Bearer " + token).build(),
                new Request.Builder().url(sandbox.baseUrl() + "/accounts/" + account + "/audit_logs?actor.email="
                                + "mallory%40example.com&direction=desc&per_page=10&page=1")
                        .header("Authorization", "Bearer " + token).build());
        OkHttpClient client = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(CONCURRENCY, 1, TimeUnit.MINUTES))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < CONCURRENCY; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        try (Response response = client.newCall(mix.get(i % 2)).execute()) {
                            response.body().bytes();
                            if (!response.isSuccessful()) {
                                throw new IllegalStateException("the sandbox answered " + response.code());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            return requests / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
            client.connectionPool().evictAll();
        }
    }

    record Outcome(double seconds, int lines, int succeeded, int rateLimited, int otherErrors, long sandboxRequests,
                   long tooMany) {
        double perSecond() {
            return lines / seconds;
        }

        List<String> row(String quota) {
            return List.of(quota, String.format(Locale.ROOT, "%.1f", seconds), Report.perSecond(perSecond()),
                    Integer.toString(succeeded), Integer.toString(rateLimited), Integer.toString(otherErrors),
                    Long.toString(sandboxRequests), Long.toString(tooMany));
        }
    }

    private static Outcome batch(CloudflareSandbox sandbox, Path dir, int requests) throws Exception {
        Files.createDirectories(dir);
        Path connection = dir.resolve("sandbox.json");
        Files.writeString(connection, sandbox.connection().toString());
        Path input = dir.resolve("requests.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < requests; i++) {
            lines.append(i % 2 == 0
                    ? "{\"id\": \"" + i + "\", \"skill\": \"cloudflare_get_zone_details\", \"input\": {}}"
                    : "{\"id\": \"" + i + "\", \"skill\": \"cloudflare_get_audit_logs\", \"input\": {\"actor_email\":"
                    + " \"mallory@example.com\", \"limit\": 10}}").append('\n');
        }
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        long before = sandbox.requestCount();
        long start = System.nanoTime();
        String out = Processes.output(Processes.runner(dir.resolve("home"), "batch", "--connection",
                connection.toString(), "--concurrency", Integer.toString(CONCURRENCY))
                .redirectInput(input.toFile()), 900);
        double seconds = (System.nanoTime() - start) / 1e9;
        int succeeded = 0;
        int rateLimited = 0;
        int other = 0;
        int count = 0;
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            count++;
            JsonNode result = JSON.readTree(line);
            if (result.has("error")) {
                if ("RATE_LIMITED".equals(result.at("/error/code").asText())) {
                    rateLimited++;
                } else {
                    other++;
                }
            } else {
                succeeded++;
            }
        }
        if (count != requests) {
            throw new IllegalStateException("batch answered " + count + " of " + requests + " lines");
        }
        return new Outcome(seconds, count, succeeded, rateLimited, other, sandbox.requestCount() - before,
                sandbox.rateLimitedCount());
    }
}

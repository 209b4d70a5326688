package dev.quiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.sandbox.CloudflareSandbox;
import dev.quiver.sandbox.RateLimit;
import okhttp3.Request;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

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
                String zone = sandbox.connection().path("zone_id").asText();
                Request direct = new Request.Builder().url(sandbox.baseUrl() + "/zones/" + zone)
                        .header("Authorization", "Bearer " + sandbox.connection().at("/auth/token").asText()).build();
                ServiceThroughput.Run run = ServiceThroughput.load(direct, CONCURRENCY, Duration.ofSeconds(1),
                        Duration.ofSeconds(quick ? 2 : 5));
                directPerSecond = run.perSecond();
            }
            Outcome paced;
            try (CloudflareSandbox sandbox = CloudflareSandbox.start(0, RateLimit.CLOUDFLARE)) {
                paced = batch(sandbox, dir.resolve("paced"), requests);
            }
            double ratio = free.perSecond() / directPerSecond;
            return new Report.Section("Batch",
                    String.format(Locale.ROOT, "%,d lines (zone details and audit logs by actor, alternating) into"
                                    + " `java -jar skill-runner.jar batch --concurrency %d`, wall time including the"
                                    + " JVM's start; the baseline is direct `GET /zones/{id}` to the sandbox at the same"
                                    + " concurrency (closed loop, 5 s). With Cloudflare's rule enforced, Quiver's pacer"
                                    + " sends at most 1200 and refuses the rest before sending, each with its"
                                    + " `retry_after_seconds`, instead of drawing the 5-minute lock-out.",
                            requests, CONCURRENCY),
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

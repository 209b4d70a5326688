package dev.quiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark 4: 100,000 audit-log entries read through {@code cloudflare_get_audit_logs} (following
 * {@code next_cursor}, 10,000 per execution) and {@code cloudflare_get_audit_logs_for_detections} (following its
 * checkpoint, 5,000 per execution) against the same entries fetched raw (100 pages of 1,000, each parsed), in a
 * child JVM limited to {@code -Xmx256m}; the loopback stub holding the entries runs in the parent.
 */
final class Volume {

    static final int ENTRIES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Volume() {
    }

    static Report.Section run(boolean quick) throws Exception {
        int entries = quick ? 20_000 : ENTRIES;
        try (LoopbackStub stub = LoopbackStub.start(entries)) {
            String out = Processes.output(Processes.main(List.of("-Xmx256m"), Volume.class, stub.baseUrl(),
                    Integer.toString(entries), quick ? "1" : "3"), 600);
            JsonNode result = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
            double raw = result.path("raw_s").asDouble();
            double logs = result.path("audit_logs_s").asDouble();
            double detections = result.path("detections_s").asDouble();
            double worst = Math.max(logs, detections) / raw;
            return new Report.Section("Volume",
                    String.format(java.util.Locale.ROOT, "%,d entries (about %d MB of JSON) in a child JVM with"
                                    + " `-Xmx256m`; median of %d runs each; the most heap in use at any moment (garbage included, sampled every 2 ms) was %d MB of %d MB.", entries,
                            result.path("json_mb").asLong(), result.path("runs").asInt(),
                            result.path("peak_heap_mb").asLong(), result.path("max_heap_mb").asLong()),
                    List.of(List.of("series", "executions or pages", "entries", "median s", "ratio"),
                            List.of("raw page fetches, parsed (baseline)", result.path("raw_pages").asText(),
                                    result.path("raw_entries").asText(), Report.ratio(raw), "1.00"),
                            List.of("`cloudflare_get_audit_logs`", result.path("audit_logs_executions").asText(),
                                    result.path("audit_logs_entries").asText(), Report.ratio(logs),
                                    Report.ratio(logs / raw)),
                            List.of("`cloudflare_get_audit_logs_for_detections`",
                                    result.path("detections_executions").asText(),
                                    result.path("detections_entries").asText(), Report.ratio(detections),
                                    Report.ratio(detections / raw))),
                    "worst ratio " + Report.ratio(worst) + " within 256 MB", "at most 1.2, within -Xmx256m",
                    worst <= 1.2);
        }
    }

    /** The child: {@code baseUrl entries runs}; prints one JSON line of results. */
    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        int entries = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        RawPages stub = new RawPages(baseUrl);
        Path dir = Bench.tempDir("volume");
        ObjectNode connection = JSON.createObjectNode();
        connection.put("id", "stub").put("type", "cloudflare");
        connection.putObject("auth").put("method", "api_token").put("token", stub.token());
        connection.put("account_id", LoopbackStub.ACCOUNT).put("zone_id", LoopbackStub.ZONE);
        connection.putArray("permissions").add("Account Settings Read").add("Zone Read");
        connection.put("base_url", baseUrl);
        ObjectNode out = JSON.createObjectNode();
        HeapSampler sampler = HeapSampler.begin();
        try (QuiverRuntime runtime = Bench.runtime(dir, connection)) {
            long[] raw = new long[runs + 1];
            long[] logs = new long[runs + 1];
            long[] detections = new long[runs + 1];
            int[] counts = new int[6];
            for (int run = 0; run <= runs; run++) { // run 0 warms up
                long start = System.nanoTime();
                int[] rawCounts = stub.fetchAll(entries);
                raw[run] = System.nanoTime() - start;
                start = System.nanoTime();
                int[] logCounts = auditLogs(runtime);
                logs[run] = System.nanoTime() - start;
                start = System.nanoTime();
                int[] detectionCounts = detections(runtime);
                detections[run] = System.nanoTime() - start;
                counts = new int[]{rawCounts[0], rawCounts[1], logCounts[0], logCounts[1], detectionCounts[0],
                        detectionCounts[1]};
                for (int i = 1; i < counts.length; i += 2) {
                    if (counts[i] != entries) {
                        throw new IllegalStateException("read " + counts[i] + " of " + entries + " entries");
                    }
                }
            }
            out.put("raw_s", median(raw) / 1e9).put("audit_logs_s", median(logs) / 1e9)
                    .put("detections_s", median(detections) / 1e9);
            out.put("raw_pages", counts[0]).put("raw_entries", counts[1]);
            out.put("audit_logs_executions", counts[2]).put("audit_logs_entries", counts[3]);
            out.put("detections_executions", counts[4]).put("detections_entries", counts[5]);
            out.put("json_mb", stub.bytes() / (runs + 1) / 1_000_000);
        } finally {
            Bench.delete(dir);
        }
        long peak = sampler.end();
        out.put("peak_heap_mb", peak >> 20).put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20)
                .put("runs", runs);
        System.out.println(out);
    }

    /** The most heap in use at any moment, sampled every 2 ms: what {@code -Xmx} has to hold. */
    private static final class HeapSampler extends Thread {
        private volatile boolean running = true;
        private long peak;

        static HeapSampler begin() {
            HeapSampler sampler = new HeapSampler();
            sampler.setDaemon(true);
            sampler.start();
            return sampler;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long end() throws InterruptedException {
            running = false;
            join();
            return peak;
        }
    }

    private static long median(long[] withWarmUp) {
        long[] measured = java.util.Arrays.copyOfRange(withWarmUp, 1, withWarmUp.length);
        java.util.Arrays.sort(measured);
        return measured[(measured.length - 1) / 2];
    }

    /** Executions and entries read following next_cursor until it is null. */
    private static int[] auditLogs(QuiverRuntime runtime) {
        int executions = 0;
        int entries = 0;
        String cursor = null;
        do {
            ObjectNode input = JSON.createObjectNode().put("limit", 10_000);
            if (cursor != null) {
                input.put("cursor", cursor);
            }
            JsonNode output = execute(runtime, "cloudflare_get_audit_logs", input);
            executions++;
            entries += output.path("entries").size();
            cursor = output.path("next_cursor").isNull() ? null : output.path("next_cursor").asText();
        } while (cursor != null);
        return new int[]{executions, entries};
    }

    /** Executions and events read following the checkpoint while {@code more} is true. */
    private static int[] detections(QuiverRuntime runtime) {
        int executions = 0;
        int events = 0;
        String checkpoint = null;
        boolean more;
        do {
            ObjectNode input = JSON.createObjectNode().put("limit", 5_000);
            if (checkpoint != null) {
                input.put("checkpoint", checkpoint);
            }
            JsonNode output = execute(runtime, "cloudflare_get_audit_logs_for_detections", input);
            executions++;
            events += output.path("events").size();
            checkpoint = output.path("checkpoint").asText();
            more = output.path("more").asBoolean();
        } while (more);
        return new int[]{executions, events};
    }

    private static JsonNode execute(QuiverRuntime runtime, String skill, JsonNode input) {
        ExecutionResult result = runtime.pipeline().execute(new ExecutionRequest(skill, "stub", input, false,
                Duration.ofSeconds(120)));
        if (!result.succeeded()) {
            throw new IllegalStateException(skill + ": " + result.failure().code() + " " + result.failure().message());
        }
        return result.output();
    }

    /** The baseline: the raw pages with a plain OkHttp client, each body parsed as the pipeline's client does. */
    private static final class RawPages {
        private final OkHttpClient http = new OkHttpClient();
        private final String baseUrl;
        private final String token = "bench_volume";
        private long bytes;

        RawPages(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        String token() {
            return token;
        }

        long bytes() {
            return bytes;
        }

        int[] fetchAll(int expected) throws Exception {
            int pages = 0;
            int entries = 0;
            for (int page = 1; entries < expected; page++) {
                Request request = new Request.Builder()
                        .url(baseUrl + "/accounts/" + LoopbackStub.ACCOUNT + "/audit_logs?direction=desc&per_page=1000&page=" + page)
                        .header("Authorization", "Bearer " + token).build();
                try (Response response = http.newCall(request).execute()) {
                    byte[] body = response.body().bytes();
                    bytes += body.length;
                    int count = JSON.readTree(body).path("result").size();
                    if (count == 0) {
                        break;
                    }
                    entries += count;
                }
                pages++;
            }
            return new int[]{pages, entries};
        }
    }
}

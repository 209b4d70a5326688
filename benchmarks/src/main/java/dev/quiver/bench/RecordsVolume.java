package dev.quiver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.records.ExecutionRecord;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.records.RecordsSettings;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark 6: one million execution records in the default database (SQLite in the home), served by
 * {@code java -jar skill-runner.jar serve} in its own process: the latency of a viewer's filtered first page, and the
 * service's resident memory while 16 viewers query at once (the JSON-lines records this replaced took a service from
 * 0.9 to 3.7 GB with ten such queries).
 */
final class RecordsVolume {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private RecordsVolume() {
    }

    // Record i: skill_(i % 20), conn-(i % 50), caller qk_(i % 10), failed when i % 7 == 0 (as in MillionRecordsTest).
    private static ExecutionRecord record(int i) throws IOException {
        boolean failed = i % 7 == 0;
        return new ExecutionRecord("ex_" + i, "skill_" + (i % 20), "conn-" + (i % 50), "qk_" + (i % 10), "http",
                T0.plusSeconds(i), 3, failed ? "failed" : "succeeded", failed ? "UPSTREAM_ERROR" : null,
                List.of("ray-" + i), 1, failed ? 0 : 42, false, JSON.readTree("{\"zone_id\": \"z" + i + "\"}"),
                failed ? null : JSON.readTree("{\"zone\": {\"id\": \"z" + i + "\", \"status\": \"active\"}}"));
    }

    static Report.Section run(boolean quick) throws Exception {
        int count = quick ? 100_000 : 1_000_000;
        int sequential = quick ? 300 : 2000;
        Duration load = Duration.ofSeconds(quick ? 5 : 20);
        Path dir = Bench.tempDir("records");
        Path home = dir.resolve("home");
        Process serve = null;
        try {
            long start = System.nanoTime();
            try (RecordStore store = RecordStore.open(RecordsSettings.sqliteUrl(home))) {
                List<ExecutionRecord> batch = new ArrayList<>(20_000);
                for (int i = 1; i <= count; i++) {
                    batch.add(record(i));
                    if (batch.size() == 20_000 || i == count) {
                        store.insert(batch);
                        batch.clear();
                    }
                }
            }
            double fillSeconds = (System.nanoTime() - start) / 1e9;
            long dbBytes = Files.size(home.resolve("records.db"));
            String key = QuiverRuntime.keys(home).create(Role.VIEWER).key();
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            serve = Processes.runner(home, "serve", "--port", Integer.toString(port))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String base = "http://127.0.0.1:" + port;
            OkHttpClient http = new OkHttpClient.Builder().connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES))
                    .readTimeout(Duration.ofSeconds(60)).build();
            awaitHealthy(http, base);
            String exact = "/api/v1/executions?skill=skill_3&status=failed&connection=conn-13&limit=50";
            String walking = "/api/v1/executions?caller=qk_3&skill=skill_7&limit=50";
            Latencies.Task exactQuery = () -> get(http, base + exact, key);
            Latencies.Task walkingQuery = () -> get(http, base + walking, key);
            Latencies.measure(sequential / 2, exactQuery);
            Latencies.measure(sequential / 2, walkingQuery);
            Latencies exactTimes = Latencies.measure(sequential, exactQuery);
            Latencies walkingTimes = Latencies.measure(sequential, walkingQuery);
            long rssAfterWarmUp = Rss.of(serve.pid()).resident();

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService viewers = Executors.newFixedThreadPool(16);
            List<Future<long[]>> runs = new ArrayList<>();
            for (int v = 0; v < 16; v++) {
                runs.add(viewers.submit(() -> {
                    List<Long> nanos = new ArrayList<>();
                    while (!stop.get()) {
                        long t = System.nanoTime();
                        get(http, base + viewerQuery(), key);
                        nanos.add(System.nanoTime() - t);
                    }
                    return nanos.stream().mapToLong(Long::longValue).toArray();
                }));
            }
            long peak = 0;
            long until = System.nanoTime() + load.toNanos();
            while (System.nanoTime() < until) {
                peak = Math.max(peak, Rss.of(serve.pid()).resident());
                Thread.sleep(100);
            }
            stop.set(true);
            Latencies concurrent = new Latencies(new long[0]);
            for (Future<long[]> run : runs) {
                concurrent = Latencies.concat(concurrent, new Latencies(run.get()));
            }
            viewers.shutdown();
            Rss end = Rss.of(serve.pid());
            double perSecond = concurrent.count() / (load.toNanos() / 1e9);

            List<List<String>> rows = List.of(
                    List.of("series", "figure"),
                    List.of("records in the database", String.format("%,d (filled in %.1f s through the store;"
                            + " records.db %,d MB)", count, fillSeconds, dbBytes >> 20)),
                    List.of("first page, `skill` + `status` + `connection` (an index matches exactly), sequential",
                            "p50 " + Report.ms(exactTimes.medianMillis()) + " ms, p99 "
                                    + Report.ms(exactTimes.p99Millis()) + " ms (" + sequential + " queries)"),
                    List.of("first page, `caller` + `skill` matching nothing (no index pairs them: one window of "
                                    + "5,000 entries, then an empty page and a cursor), sequential",
                            "p50 " + Report.ms(walkingTimes.medianMillis()) + " ms, p99 "
                                    + Report.ms(walkingTimes.p99Millis()) + " ms (" + sequential + " queries)"),
                    List.of("16 viewers at once, mixed filters, " + load.toSeconds() + " s",
                            Report.perSecond(perSecond) + " queries/s, p50 " + Report.ms(concurrent.medianMillis())
                                    + " ms, p99 " + Report.ms(concurrent.p99Millis()) + " ms"),
                    List.of("service resident memory after start and the sequential queries",
                            (rssAfterWarmUp >> 20) + " MB"),
                    List.of("service resident memory while 16 viewers query (peak sampled every 100 ms; kernel"
                            + " high-water mark)", (peak >> 20) + " MB; " + (end.peak() >> 20) + " MB"));
            double p99 = exactTimes.p99Millis();
            boolean met = p99 <= 100 && end.peak() <= 1L << 30;
            return new Report.Section("Records: a million in the database",
                    String.format("%,d records in SQLite (the default, `<home>/records.db`), then `java -jar"
                            + " skill-runner.jar serve` (default JVM options) in its own process; a viewer key;"
                            + " queries over HTTP from this JVM. The 16 viewers pick at random among filtered first"
                            + " pages (a skill and a connection, with or without `status=failed`), a caller's"
                            + " records, a skill that does not exist, and the unfiltered first page, 100 a page.",
                            count),
                    rows, "first-page p99 " + Report.ms(p99) + " ms; peak RSS " + (end.peak() >> 20) + " MB",
                    "p99 at most 100 ms; RSS at most 1 GB", met);
        } finally {
            if (serve != null) {
                serve.destroy();
                if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                    serve.destroyForcibly();
                }
            }
            Bench.delete(dir);
        }
    }

    private static String viewerQuery() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int k = random.nextInt(100);
        return switch (random.nextInt(6)) {
            case 0, 1 -> "/api/v1/executions?skill=skill_" + (k % 20) + "&connection=conn-" + (k % 50) + "&limit=100";
            case 2 -> "/api/v1/executions?skill=skill_" + (k % 20) + "&connection=conn-" + (k % 50)
                    + "&status=failed&limit=100";
            case 3 -> "/api/v1/executions?caller=qk_" + (k % 10) + "&limit=100";
            case 4 -> "/api/v1/executions?skill=nonexistent&limit=100";
            default -> "/api/v1/executions?limit=100";
        };
    }

    private static void get(OkHttpClient http, String url, String key) throws IOException {
        Request request = new Request.Builder().url(url).header("Authorization", "Bearer " + key).build();
        try (Response response = http.newCall(request).execute()) {
            byte[] body = response.body().bytes();
            if (response.code() != 200 || body.length == 0) {
                throw new IOException(url + " answered " + response.code());
            }
        }
    }

    private static void awaitHealthy(OkHttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Response response = http.newCall(new Request.Builder().url(base + "/health").build()).execute()) {
                if (response.code() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("serve did not answer /health within 60 s");
    }

    /** A process's resident memory now and its high-water mark, from {@code /proc/PID/status}. */
    private record Rss(long resident, long peak) {
        static Rss of(long pid) throws IOException {
            long resident = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = kilobytes(line) << 10;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) << 10;
                }
            }
            return new Rss(resident, peak);
        }

        private static long kilobytes(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}

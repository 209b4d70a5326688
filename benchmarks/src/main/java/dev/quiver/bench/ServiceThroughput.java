package dev.quiver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.http.QuiverService;
import dev.quiver.sandbox.CloudflareSandbox;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 2: executions per second through {@code POST /api/v1/skills/{id}/executions} on the real service
 * against the sandbox, at several concurrencies, against direct GETs of the same zone from the sandbox at the same
 * concurrency. Clients are OkHttp in this JVM (service, sandbox and clients share the machine's cores).
 */
final class ServiceThroughput {

    private static final MediaType JSON = MediaType.get("application/json");

    private ServiceThroughput() {
    }

    static Report.Section run(boolean quick) throws Exception {
        Duration measure = Duration.ofSeconds(quick ? 2 : 8);
        Duration warmUp = Duration.ofSeconds(quick ? 1 : 3);
        Path dir = Bench.tempDir("throughput");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("concurrency", "direct GET/s (baseline)", "direct p50 / p99 ms", "Quiver executions/s",
                "Quiver p50 / p99 ms", "ratio"));
        double ratioAt64 = Double.NaN;
        try (CloudflareSandbox sandbox = CloudflareSandbox.start(0)) {
            ObjectNode connection = sandbox.connection();
            String zone = connection.path("zone_id").asText();
            String token = connection.at("/auth/token").asText();
            try (QuiverRuntime runtime = Bench.runtime(dir, connection)) {
                QuiverService service = QuiverService.start(runtime, "127.0.0.1", 0);
                try {
                    String key = runtime.keys().create(Role.ANALYST).key();
                    Request direct = new Request.Builder().url(sandbox.baseUrl() + "/zones/" + zone)
                            .header("Authorization", "Bearer " + token).build();
                    Request execution = new Request.Builder()
                            .url(service.uri() + "/api/v1/skills/cloudflare_get_zone_details/executions")
                            .header("Authorization", "Bearer " + key)
                            .post(RequestBody.create("{\"connection\": \"sandbox\", \"input\": {\"zone_id\": \""
                                    + zone + "\"}}", JSON)).build();
                    for (int concurrency : new int[]{1, 16, 64}) {
                        Run baseline = load(direct, concurrency, warmUp, measure);
                        Run quiver = load(execution, concurrency, warmUp, measure);
                        double ratio = quiver.perSecond() / baseline.perSecond();
                        if (concurrency == 64) {
                            ratioAt64 = ratio;
                        }
                        rows.add(List.of(Integer.toString(concurrency), Report.perSecond(baseline.perSecond()),
                                Report.ms(baseline.latencies().medianMillis()) + " / "
                                        + Report.ms(baseline.latencies().p99Millis()),
                                Report.perSecond(quiver.perSecond()),
                                Report.ms(quiver.latencies().medianMillis()) + " / "
                                        + Report.ms(quiver.latencies().p99Millis()),
                                Report.ratio(ratio)));
                    }
                } finally {
                    service.shutdown(Duration.ofSeconds(5));
                }
            }
        } finally {
            Bench.delete(dir);
        }
        return new Report.Section("Service throughput",
                "`POST /api/v1/skills/cloudflare_get_zone_details/executions` (analyst key, sandbox connection) vs"
                        + " `GET /zones/{id}` straight to the sandbox, closed-loop clients, " + warmUp.toSeconds()
                        + " s warm-up then " + measure.toSeconds() + " s measured per row. Non-2xx answers fail the run.",
                rows, "ratio at 64: " + Report.ratio(ratioAt64), "at least 0.5 at 64", ratioAt64 >= 0.5);
    }

    /** Throughput and latencies of {@code concurrency} closed-loop clients sending {@code request}. */
    record Run(double perSecond, Latencies latencies) {
    }

    static Run load(Request request, int concurrency, Duration warmUp, Duration measure) throws Exception {
        OkHttpClient client = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(concurrency, 1, TimeUnit.MINUTES))
                .readTimeout(Duration.ofSeconds(60)).build();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            long warmEnd = System.nanoTime() + warmUp.toNanos();
            long end = warmEnd + measure.toNanos();
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                results.add(clients.submit(() -> {
                    long[] nanos = new long[1 << 16];
                    int n = 0;
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        try (Response response = client.newCall(request).execute()) {
                            response.body().bytes();
                            if (!response.isSuccessful()) {
                                throw new IllegalStateException(request.url() + " answered " + response.code());
                            }
                        }
                        long done = System.nanoTime();
                        if (start >= warmEnd && done <= end) {
                            if (n == nanos.length) {
                                nanos = java.util.Arrays.copyOf(nanos, n * 2);
                            }
                            nanos[n++] = done - start;
                        }
                    }
                    return java.util.Arrays.copyOf(nanos, n);
                }));
            }
            Latencies all = new Latencies(new long[0]);
            for (Future<long[]> result : results) {
                all = Latencies.concat(all, new Latencies(result.get()));
            }
            return new Run(all.count() / (measure.toNanos() / 1e9), all);
        } finally {
            clients.shutdownNow();
            client.connectionPool().evictAll();
            client.dispatcher().executorService().shutdown();
        }
    }
}

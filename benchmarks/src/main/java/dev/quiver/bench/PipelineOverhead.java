package dev.quiver.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 1: one {@code cloudflare_get_zone_details} through the whole pipeline (validate, authorize, execute,
 * validate, record: the record is forced to disk before the call returns) against the same GET made with a plain
 * OkHttp client, both on the loopback stub, one call at a time, alternating rounds so drift hits both alike.
 */
final class PipelineOverhead {

    private PipelineOverhead() {
    }

    private static Latencies.Task execution(QuiverRuntime runtime) {
        ExecutionRequest request = new ExecutionRequest("cloudflare_get_zone_details", "stub",
                JsonNodeFactory.instance.objectNode().put("zone_id", LoopbackStub.ZONE), false, Duration.ofSeconds(30));
        return () -> {
            ExecutionResult result = runtime.pipeline().execute(request);
            if (!result.succeeded()) {
                throw new IllegalStateException(result.failure().code() + ": " + result.failure().message());
            }
        };
    }

    private static List<String> row(String series, Latencies latencies, Latencies baseline) {
        return List.of(series, Integer.toString(latencies.count()), Report.ms(latencies.medianMillis()),
                Report.ms(latencies.p99Millis()), Report.ratio(latencies.medianMillis() / baseline.medianMillis()));
    }

    static Report.Section run(boolean quick) throws Exception {
        int warmUp = quick ? 500 : 3000;
        int rounds = quick ? 3 : 10;
        int perRound = quick ? 300 : 1000;
        Path dir = Bench.tempDir("overhead");
        try (LoopbackStub stub = LoopbackStub.start(0)) {
            ObjectNode connection = stub.connection("stub");
            String token = connection.at("/auth/token").asText();
            OkHttpClient plain = new OkHttpClient();
            Request get = new Request.Builder().url(stub.baseUrl() + "/zones/" + LoopbackStub.ZONE)
                    .header("Authorization", "Bearer " + token).build();
            Latencies.Task direct = () -> {
                try (Response response = plain.newCall(get).execute()) {
                    response.body().bytes();
                }
            };
            // The same pipeline with its home on a RAM disk, where forcing a record to disk costs nothing: the
            // difference between the two is what durable records cost.
            Path ramDir = Files.isDirectory(Path.of("/dev/shm")) ? Files.createTempDirectory(Path.of("/dev/shm"),
                    "quiver-bench-overhead") : null;
            try (QuiverRuntime runtime = Bench.runtime(dir, connection);
                 QuiverRuntime ramRuntime = ramDir == null ? null : Bench.runtime(ramDir, stub.connection("stub"))) {
                Latencies.Task pipeline = execution(runtime);
                Latencies.Task ram = ramRuntime == null ? null : execution(ramRuntime);
                Latencies.measure(warmUp, direct);
                Latencies.measure(warmUp, pipeline);
                if (ram != null) {
                    Latencies.measure(warmUp, ram);
                }
                Latencies directAll = new Latencies(new long[0]);
                Latencies pipelineAll = new Latencies(new long[0]);
                Latencies ramAll = new Latencies(new long[0]);
                for (int round = 0; round < rounds; round++) {
                    directAll = Latencies.concat(directAll, Latencies.measure(perRound, direct));
                    pipelineAll = Latencies.concat(pipelineAll, Latencies.measure(perRound, pipeline));
                    if (ram != null) {
                        ramAll = Latencies.concat(ramAll, Latencies.measure(perRound, ram));
                    }
                }
                double ratio = pipelineAll.medianMillis() / directAll.medianMillis();
                List<List<String>> rows = new ArrayList<>(List.of(
                        List.of("series", "calls", "median ms", "p99 ms", "ratio"),
                        row("plain OkHttp GET (baseline)", directAll, directAll),
                        row("pipeline, records forced to disk", pipelineAll, directAll)));
                if (ram != null) {
                    rows.add(row("pipeline, home on a RAM disk (no fsync cost)", ramAll, directAll));
                }
                return new Report.Section("Pipeline overhead",
                        "`cloudflare_get_zone_details` through the pipeline vs the same GET with a plain OkHttp"
                                + " client, on the loopback stub, sequential; " + rounds + " alternating rounds of "
                                + perRound + " after " + warmUp + " warm-up calls each. The record of every execution"
                                + " is forced to disk before the call returns.",
                        rows, "median ratio " + Report.ratio(ratio), "at most 1.10", ratio <= 1.10);
            } finally {
                if (ramDir != null) {
                    Bench.delete(ramDir);
                }
            }
        } finally {
            Bench.delete(dir);
        }
    }
}

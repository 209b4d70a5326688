package dev.quiver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark 1: one {@code cloudflare_get_zone_details} through the whole pipeline (validate, authorize, execute,
 * validate, record: the record is forced to disk before the call returns) against the same GET made with a plain
 * OkHttp client, both on the loopback stub, one call at a time, alternating rounds so drift hits both alike.
 */
final class PipelineOverhead {

    private PipelineOverhead() {
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
            try (QuiverRuntime runtime = Bench.runtime(dir, connection)) {
                ExecutionRequest request = new ExecutionRequest("cloudflare_get_zone_details", "stub",
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .put("zone_id", LoopbackStub.ZONE), false, Duration.ofSeconds(30));
                Latencies.Task pipeline = () -> {
                    ExecutionResult result = runtime.pipeline().execute(request);
                    if (!result.succeeded()) {
                        throw new IllegalStateException(result.failure().code() + ": " + result.failure().message());
                    }
                };
                Latencies.measure(warmUp, direct);
                Latencies.measure(warmUp, pipeline);
                Latencies directAll = new Latencies(new long[0]);
                Latencies pipelineAll = new Latencies(new long[0]);
                for (int round = 0; round < rounds; round++) {
                    directAll = Latencies.concat(directAll, Latencies.measure(perRound, direct));
                    pipelineAll = Latencies.concat(pipelineAll, Latencies.measure(perRound, pipeline));
                }
                double ratio = pipelineAll.medianMillis() / directAll.medianMillis();
                return new Report.Section("Pipeline overhead",
                        "`cloudflare_get_zone_details` through the pipeline vs the same GET with a plain OkHttp"
                                + " client, on the loopback stub, sequential; " + rounds + " alternating rounds of "
                                + perRound + " after " + warmUp + " warm-up calls each.",
                        List.of(List.of("series", "calls", "median ms", "p99 ms"),
                                List.of("plain OkHttp GET (baseline)", Integer.toString(directAll.count()),
                                        Report.ms(directAll.medianMillis()), Report.ms(directAll.p99Millis())),
                                List.of("pipeline", Integer.toString(pipelineAll.count()),
                                        Report.ms(pipelineAll.medianMillis()), Report.ms(pipelineAll.p99Millis()))),
                        "median ratio " + Report.ratio(ratio), "at most 1.10", ratio <= 1.10);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}

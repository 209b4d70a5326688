package dev.quiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.transport.TransportFactory;
import dev.quiver.runner.pipeline.ExecutionResult;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark 1: one skill through the whole pipeline (validate, authorize, execute, validate, record) against the same
 * GET made with a plain OkHttp client, both on the loopback stub, one call at a time, alternating rounds so drift hits
 * both alike. Two skills: {@code cloudflare_get_zone_details}, a read skill, whose record is handed to the records'
 * writer and committed within milliseconds; and {@code cloudflare_create_ruleset_rule} for a rule the ruleset already
 * holds (one GET, answered "exists"), a write skill, whose record is committed to disk before the call returns.
 */
final class PipelineOverhead {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineOverhead() {
    }

    private static Latencies.Task execution(ExecutionPipeline pipeline, String skill, JsonNode input, String expect) {
        ExecutionRequest request = new ExecutionRequest(skill, "stub", input, false, Duration.ofSeconds(30));
        return () -> {
            ExecutionResult result = pipeline.execute(request);
            if (!result.succeeded()) {
                throw new IllegalStateException(result.failure().code() + ": " + result.failure().message());
            }
            if (expect != null && !expect.equals(result.output().path("status").asText())) {
                throw new IllegalStateException(skill + " answered " + result.output());
            }
            if (!result.warnings().isEmpty()) {
                throw new IllegalStateException(skill + ": " + result.warnings());
            }
        };
    }

    private static List<String> row(String series, Latencies latencies, Latencies baseline) {
        return List.of(series, Integer.toString(latencies.count()), Report.ms(latencies.medianMillis()),
                Report.ms(latencies.p99Millis()), Report.ratio(latencies.medianMillis() / baseline.medianMillis()));
    }

    private static Latencies.Task get(OkHttpClient client, String url, String token) {
        Request get = new Request.Builder().url(url).header("Authorization", "Bearer " + token).build();
        return () -> {
            try (Response response = client.newCall(get).execute()) {
                response.body().bytes();
            }
        };
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
            Latencies.Task zoneGet = get(plain, stub.baseUrl() + "/zones/" + LoopbackStub.ZONE, token);
            Latencies.Task rulesetGet = get(plain, stub.baseUrl() + LoopbackStub.ENTRYPOINT, token);
            try (QuiverRuntime runtime = Bench.runtime(dir, connection);
                 TransportFactory transports = new TransportFactory();
                 // The same stages with no observer (no record, no metrics): what the records cost is the difference.
                 ExecutionPipeline bare = new ExecutionPipeline(runtime::catalog, runtime::connection, transports,
                         List.of())) {
                JsonNode zoneInput = JsonNodeFactory.instance.objectNode().put("zone_id", LoopbackStub.ZONE);
                Latencies.Task read = execution(runtime.pipeline(), "cloudflare_get_zone_details", zoneInput, null);
                Latencies.Task unrecorded = execution(bare, "cloudflare_get_zone_details", zoneInput, null);
                Latencies.Task write = execution(runtime.pipeline(), "cloudflare_create_ruleset_rule", JSON.readTree(
                        "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                                + " \"expression\": \"ip.src eq 198.51.100.7\", \"ref\": \"" + LoopbackStub.RULE_REF
                                + "\"}}"), "exists");
                Latencies.Task[] tasks = {zoneGet, read, unrecorded, rulesetGet, write};
                Latencies[] all = new Latencies[tasks.length];
                for (int i = 0; i < tasks.length; i++) {
                    Latencies.measure(warmUp, tasks[i]);
                    all[i] = new Latencies(new long[0]);
                }
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < tasks.length; i++) {
                        all[i] = Latencies.concat(all[i], Latencies.measure(perRound, tasks[i]));
                    }
                }
                runtime.records().flush();
                double ratio = all[1].medianMillis() / all[0].medianMillis();
                List<List<String>> rows = List.of(
                        List.of("series", "calls", "median ms", "p99 ms", "ratio"),
                        row("plain OkHttp GET of the zone (baseline)", all[0], all[0]),
                        row("pipeline, read skill: record handed to the writer", all[1], all[0]),
                        row("pipeline, read skill, no observer at all (no record, no metrics)", all[2], all[0]),
                        row("plain OkHttp GET of the ruleset (baseline of the next row)", all[3], all[3]),
                        row("pipeline, write skill: record committed to disk first", all[4], all[3]));
                return new Report.Section("Pipeline overhead",
                        "`cloudflare_get_zone_details` (read) and `cloudflare_create_ruleset_rule` for a rule the"
                                + " ruleset already holds (write; one GET, answered \"exists\") through the pipeline,"
                                + " each against the same GET with a plain OkHttp client, on the loopback stub,"
                                + " sequential; " + rounds + " alternating rounds of " + perRound + " after " + warmUp
                                + " warm-up calls each. Records in SQLite (WAL, synchronous=FULL) in the home: a read"
                                + " skill's record is committed by the writer thread within milliseconds (group"
                                + " commit), a write skill's before the call returns.",
                        rows, "median ratio, read skill " + Report.ratio(ratio), "at most 1.50", ratio <= 1.50);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}

package dev.quiver.runner.metrics;

import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.transport.VendorTraffic;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The service's metrics in Prometheus' text format: executions by skill and outcome, their latency as a histogram,
 * and the requests sent to each vendor with the 429s among them. Label values come from the catalogue, never from
 * what a caller typed, so a caller cannot grow the label space.
 */
public final class Metrics implements ExecutionObserver {

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, LongAdder> executions = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final VendorTraffic traffic;
    private final IntSupplier pluginsLoaded;

    public Metrics(VendorTraffic traffic, IntSupplier pluginsLoaded) {
        this.traffic = traffic;
        this.pluginsLoaded = pluginsLoaded;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) {
        // A skill the catalogue does not know has no recorded input; its id is the caller's text.
        String skill = result.input() == null ? "unknown" : result.skillId();
        String outcome = result.succeeded() ? "succeeded" : result.failure().code().name();
        executions.computeIfAbsent(label("skill", skill) + "," + label("outcome", outcome), k -> new LongAdder())
                .increment();
        latency.computeIfAbsent(skill, k -> new Histogram()).observe(result.duration().toNanos() / 1e9);
    }

    /** Everything, in Prometheus' text exposition format 0.0.4. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP quiver_executions_total Skill executions by skill and outcome (succeeded or the error code).\n")
                .append("# TYPE quiver_executions_total counter\n");
        new TreeMap<>(executions).forEach((labels, count) ->
                out.append("quiver_executions_total{").append(labels).append("} ").append(count.sum()).append('\n'));

        out.append("# HELP quiver_execution_duration_seconds Time from request to result, by skill.\n")
                .append("# TYPE quiver_execution_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((skill, histogram) -> histogram.render(out, label("skill", skill)));

        out.append("# HELP quiver_vendor_requests_total Requests sent to vendor APIs, by connection type.\n")
                .append("# TYPE quiver_vendor_requests_total counter\n");
        Map<String, VendorTraffic.Counts> vendors = new TreeMap<>(traffic.snapshot());
        vendors.forEach((type, counts) -> out.append("quiver_vendor_requests_total{").append(label("type", type))
                .append("} ").append(counts.requests().sum()).append('\n'));
        out.append("# HELP quiver_vendor_rate_limited_total Vendor answers with status 429, by connection type.\n")
                .append("# TYPE quiver_vendor_rate_limited_total counter\n");
        vendors.forEach((type, counts) -> out.append("quiver_vendor_rate_limited_total{").append(label("type", type))
                .append("} ").append(counts.rateLimited().sum()).append('\n'));

        out.append("# HELP quiver_plugins_loaded Plugins started.\n# TYPE quiver_plugins_loaded gauge\n")
                .append("quiver_plugins_loaded ").append(pluginsLoaded.getAsInt()).append('\n');
        return out.toString();
    }

    private static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }

        void render(StringBuilder out, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                out.append("quiver_execution_duration_seconds_bucket{").append(labels).append(",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            out.append("quiver_execution_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                    .append(count.sum()).append('\n');
            out.append("quiver_execution_duration_seconds_sum{").append(labels).append("} ").append(sum.sum())
                    .append('\n');
            out.append("quiver_execution_duration_seconds_count{").append(labels).append("} ").append(count.sum())
                    .append('\n');
        }
    }
}

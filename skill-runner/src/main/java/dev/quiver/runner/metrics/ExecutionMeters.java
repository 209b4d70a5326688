package dev.quiver.runner.metrics;

import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.transport.VendorTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The runner's own meters, in Micrometer: executions by skill and outcome, their latency, the requests sent to each
 * vendor with the 429s among them, and the plugins started. Label values come from the catalogue and the plugins'
 * connection types, never from what a caller typed, so a caller cannot grow the label space.
 *
 * <p>Nothing is measured until {@link #bindTo} is given a registry: the service binds the Prometheus registry that
 * serves {@code /metrics}; a CLI run, which nobody scrapes, never makes one.
 */
public final class ExecutionMeters implements ExecutionObserver, MeterBinder {

    /** The latency buckets, in seconds: those {@code /metrics} had before Micrometer, so dashboards keep working. */
    static final Duration[] BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

    private final VendorTraffic traffic;
    private final IntSupplier pluginsLoaded;
    private volatile MeterRegistry registry;

    public ExecutionMeters(VendorTraffic traffic, IntSupplier pluginsLoaded) {
        this.traffic = traffic;
        this.pluginsLoaded = pluginsLoaded;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("quiver.plugins.loaded", pluginsLoaded, IntSupplier::getAsInt)
                .description("Plugins started.").register(registry);
        traffic.watch((type, counts) -> {
            FunctionCounter.builder("quiver.vendor.requests", counts.requests(), LongAdder::sum).tag("type", type)
                    .description("Requests sent to vendor APIs, by connection type.").register(registry);
            FunctionCounter.builder("quiver.vendor.rate.limited", counts.rateLimited(), LongAdder::sum)
                    .tag("type", type).description("Vendor answers with status 429, by connection type.")
                    .register(registry);
        });
        this.registry = registry;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        // A skill the catalogue does not know has no recorded input; its id is the caller's text.
        String skill = result.input() == null ? "unknown" : result.skillId();
        String outcome = result.succeeded() ? "succeeded" : result.failure().code().name();
        Counter.builder("quiver.executions").tags("skill", skill, "outcome", outcome)
                .description("Skill executions by skill and outcome (succeeded or the error code).")
                .register(meters).increment();
        Timer.builder("quiver.execution.duration").tag("skill", skill)
                .description("Time from request to result, by skill.").serviceLevelObjectives(BUCKETS)
                .register(meters).record(result.duration());
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}

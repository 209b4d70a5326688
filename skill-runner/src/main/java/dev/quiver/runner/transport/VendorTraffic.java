package dev.quiver.runner.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the requests sent to each vendor (by connection type) and the 429s it answered, for the metrics. */
public final class VendorTraffic {

    /** One vendor's counts. */
    public record Counts(LongAdder requests, LongAdder rateLimited) {
    }

    private final Map<String, Counts> byType = new ConcurrentHashMap<>();

    Counts of(String connectionType) {
        return byType.computeIfAbsent(connectionType, t -> new Counts(new LongAdder(), new LongAdder()));
    }

    /** The counts so far, by connection type. */
    public Map<String, Counts> snapshot() {
        return Map.copyOf(byType);
    }
}

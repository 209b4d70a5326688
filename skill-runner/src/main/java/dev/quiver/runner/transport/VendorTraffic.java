package dev.quiver.runner.transport;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Counts the requests sent to each vendor (by connection type) and the 429s it answered. Counting is two adders
 * per request; who reads them (the service's metrics) is told of each connection type when it first sends.
 */
public final class VendorTraffic {

    /** One vendor's counts. */
    public record Counts(LongAdder requests, LongAdder rateLimited) {
    }

    private final Map<String, Counts> byType = new ConcurrentHashMap<>();
    private BiConsumer<String, Counts> watcher = (type, counts) -> { };

    Counts of(String connectionType) {
        Counts counts = byType.get(connectionType);
        return counts != null ? counts : first(connectionType);
    }

    // Rare (once per connection type): serialised with watch() so that a watcher misses no type.
    private synchronized Counts first(String connectionType) {
        Counts counts = byType.get(connectionType);
        if (counts == null) {
            counts = new Counts(new LongAdder(), new LongAdder());
            byType.put(connectionType, counts);
            watcher.accept(connectionType, counts);
        }
        return counts;
    }

    /** Tells {@code watcher} of every connection type that has sent so far and of each one that sends later. */
    public synchronized void watch(BiConsumer<String, Counts> watcher) {
        this.watcher = Objects.requireNonNull(watcher);
        byType.forEach(watcher);
    }

    /** The counts so far, by connection type. */
    public Map<String, Counts> snapshot() {
        return Map.copyOf(byType);
    }
}

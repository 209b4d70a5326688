package dev.quiver.bench;

import java.util.Arrays;

/** Latencies of one measured series, in nanoseconds. */
record Latencies(long[] nanos) {

    Latencies {
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    double p99Millis() {
        return percentileMillis(99);
    }

    /** Nearest-rank percentile. */
    double percentileMillis(double percentile) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }

    int count() {
        return nanos.length;
    }

    /** Times {@code task} {@code times} times, one latency per call. */
    static Latencies measure(int times, Task task) throws Exception {
        long[] nanos = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            task.run();
            nanos[i] = System.nanoTime() - start;
        }
        return new Latencies(nanos);
    }

    static Latencies concat(Latencies a, Latencies b) {
        long[] all = Arrays.copyOf(a.nanos, a.nanos.length + b.nanos.length);
        System.arraycopy(b.nanos, 0, all, a.nanos.length, b.nanos.length);
        return new Latencies(all);
    }

    /** A measured call. */
    interface Task {
        void run() throws Exception;
    }
}

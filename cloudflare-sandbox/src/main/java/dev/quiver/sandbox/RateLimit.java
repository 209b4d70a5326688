package dev.quiver.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The sandbox's version of Cloudflare's API rate limit: at most {@code requests} per sliding {@code window}; the
 * request over it is answered 429 and, as on Cloudflare, every request is refused until a whole window has passed.
 *
 * @param requests the quota per window, announced on every answer as {@code x-ratelimit-limit}
 * @param window   the window, and the length of the lock-out after an excess
 */
public record RateLimit(int requests, Duration window) {

    /** Cloudflare's rule for an API token or user: 1200 requests per 5 minutes. */
    public static final RateLimit CLOUDFLARE = new RateLimit(1200, Duration.ofMinutes(5));
    /** The default: a quota high enough that trying skills, tests and benchmarks never meet it. */
    public static final RateLimit GENEROUS = new RateLimit(1_000_000, Duration.ofMinutes(5));

    public RateLimit {
        if (requests < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per a positive window");
        }
    }

    /** Cloudflare's 5-minute window with another quota. */
    public static RateLimit perFiveMinutes(int requests) {
        return new RateLimit(requests, CLOUDFLARE.window);
    }

    /** Counts requests against one {@link RateLimit}. Thread-safe. */
    static final class Meter {

        private final RateLimit limit;
        private final ArrayDeque<Long> admitted = new ArrayDeque<>();
        private long lockedUntil = Long.MIN_VALUE;
        private long refused;

        Meter(RateLimit limit) {
            this.limit = limit;
        }

        /**
         * Admits one request, or refuses it.
         *
         * @return -1 when admitted, else the seconds until requests are admitted again (at least 1)
         */
        synchronized long admit() {
            long now = System.nanoTime();
            long window = limit.window.toNanos();
            while (!admitted.isEmpty() && admitted.peekFirst() <= now - window) {
                admitted.pollFirst();
            }
            if (now < lockedUntil) {
                refused++;
                return seconds(lockedUntil - now);
            }
            if (admitted.size() >= limit.requests) {
                lockedUntil = now + window;
                refused++;
                return seconds(window);
            }
            admitted.addLast(now);
            return -1;
        }

        synchronized int remaining() {
            return Math.max(0, limit.requests - admitted.size());
        }

        synchronized long refused() {
            return refused;
        }

        private static long seconds(long nanos) {
            return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        }
    }
}

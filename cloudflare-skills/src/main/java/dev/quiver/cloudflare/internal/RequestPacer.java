package dev.quiver.cloudflare.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps one credential under Cloudflare's limit of 1200 requests per 5 minutes, shared by every execution that uses
 * it in this process.
 *
 * <p>Cloudflare counts per user or token, across dashboard and API, and answers an excess with 429 and a 5-minute
 * lockout of <em>all</em> calls. So a burst of executions is spread out (a sliding window of the last requests'
 * send times) rather than sent and punished, and a 429's {@code retry-after} holds back every execution on the
 * credential, not only the one that received it.
 *
 * <p>1200 is the default; a response that announces the credential's quota ({@code x-ratelimit-limit}, as
 * Cloudflare sends on its API answers and some plans raise) replaces it, so a higher quota is used and a lower one
 * is respected from the next request on.
 */
public final class RequestPacer {

    /** Cloudflare's global API limit per credential. */
    public static final int CLOUDFLARE_LIMIT = 1200;
    public static final Duration CLOUDFLARE_WINDOW = Duration.ofMinutes(5);

    private static final ConcurrentMap<String, RequestPacer> BY_CREDENTIAL = new ConcurrentHashMap<>();

    private int limit;
    private final long windowNanos;
    /** Send times (System.nanoTime) of the requests inside the current window, oldest first. */
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private long pausedUntil = Long.MIN_VALUE;

    RequestPacer(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** The pacer of one credential (by its fingerprint), created on first use. */
    public static RequestPacer forCredential(String fingerprint) {
        return BY_CREDENTIAL.computeIfAbsent(fingerprint,
                key -> new RequestPacer(CLOUDFLARE_LIMIT, CLOUDFLARE_WINDOW));
    }

    /**
     * Reserves a send slot for one request and waits for it.
     *
     * @param maxWait how long the caller may wait (the execution's remaining time)
     * @return {@link Duration#ZERO} once the request may go, or, without reserving anything, how long the caller
     *         would have had to wait when that is more than {@code maxWait}
     */
    public Duration acquire(Duration maxWait) throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            while (!sent.isEmpty() && sent.peekFirst() <= now - windowNanos) {
                sent.pollFirst();
            }
            slot = Math.max(now, pausedUntil);
            if (sent.size() >= limit) {
                slot = Math.max(slot, leavingSendTime() + windowNanos);
            }
            long wait = slot - now;
            if (wait > maxWait.toNanos()) {
                return Duration.ofNanos(wait);
            }
            while (sent.size() >= limit) {
                sent.pollFirst();
            }
            sent.addLast(slot);
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return Duration.ZERO;
    }

    /** The send time whose leaving the window frees a slot: the oldest, or later when the quota was lowered. */
    private long leavingSendTime() {
        var times = sent.iterator();
        long time = times.next();
        for (int over = sent.size() - limit; over > 0; over--) {
            time = times.next();
        }
        return time;
    }

    /**
     * Takes the quota a response announced for this credential's window; ignores a missing or malformed value.
     *
     * @param announced the {@code x-ratelimit-limit} header, or null
     */
    public void learn(String announced) {
        if (announced == null) {
            return;
        }
        try {
            int quota = Integer.parseInt(announced.trim());
            if (quota > 0) {
                synchronized (this) {
                    limit = quota;
                }
            }
        } catch (NumberFormatException malformed) {
            // not a quota: keep the one we have
        }
    }

    /** The quota per window currently applied. */
    synchronized int limit() {
        return limit;
    }

    /** Holds back every request on this credential for {@code delay}, as Cloudflare's {@code retry-after} asks. */
    public synchronized void pause(Duration delay) {
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + delay.toNanos());
    }
}

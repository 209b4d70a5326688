package dev.quiver.cloudflare.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPacerTest {

    private static final Duration PLENTY = Duration.ofSeconds(5);

    @Test
    void requestsWithinTheLimitGoAtOnce() throws Exception {
        RequestPacer pacer = new RequestPacer(5, Duration.ofSeconds(10));
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ZERO, pacer.acquire(PLENTY));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void theRequestOverTheLimitWaitsUntilTheOldestLeavesTheWindow() throws Exception {
        RequestPacer pacer = new RequestPacer(3, Duration.ofMillis(400));
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            pacer.acquire(PLENTY);
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= 380, "the 4th of 3-per-400ms went after " + elapsedMillis + " ms");
    }

    @Test
    void aWaitLongerThanTheCallerMayWaitIsReportedAndReservesNothing() throws Exception {
        RequestPacer pacer = new RequestPacer(1, Duration.ofSeconds(30));
        pacer.acquire(PLENTY);

        Duration wait = pacer.acquire(Duration.ofMillis(100));

        assertTrue(wait.compareTo(Duration.ofSeconds(29)) > 0, wait.toString());
        // nothing was reserved: the next caller sees the same wait, not twice it
        assertTrue(pacer.acquire(Duration.ofMillis(100)).compareTo(Duration.ofSeconds(31)) < 0);
    }

    @Test
    void aPauseHoldsBackEveryCallerOfTheCredential() throws Exception {
        RequestPacer pacer = new RequestPacer(1000, Duration.ofMinutes(5));
        pacer.pause(Duration.ofSeconds(60));

        assertTrue(pacer.acquire(Duration.ofSeconds(1)).compareTo(Duration.ofSeconds(58)) > 0);
    }

    @Test
    void concurrentCallersNeverExceedTheLimitInAnyWindow() throws Exception {
        RequestPacer pacer = new RequestPacer(10, Duration.ofMillis(500));
        List<Long> sendTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            calls.add(pool.submit(() -> {
                pacer.acquire(PLENTY);
                sendTimes.add(System.nanoTime());
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();

        List<Long> sorted = sendTimes.stream().sorted().toList();
        // Times are taken when acquire returns, which a busy scheduler may delay for one thread and not another:
        // the slack covers that, and is far below the gap the pacer enforces (without it, all 25 go within ms).
        long window = TimeUnit.MILLISECONDS.toNanos(500);
        long slack = TimeUnit.MILLISECONDS.toNanos(40);
        for (int i = 10; i < sorted.size(); i++) {
            assertTrue(sorted.get(i) - sorted.get(i - 10) >= window - slack,
                    "sends " + (i - 10) + " and " + i + " are " + (sorted.get(i) - sorted.get(i - 10)) / 1e6 + " ms apart");
        }
    }

    @Test
    void anAnnouncedQuotaReplacesTheDefaultBothWays() throws Exception {
        RequestPacer pacer = new RequestPacer(2, Duration.ofSeconds(30));
        pacer.learn("4");
        for (int i = 0; i < 4; i++) {
            assertEquals(Duration.ZERO, pacer.acquire(Duration.ofMillis(100)), "request " + i + " of a quota of 4");
        }
        assertTrue(pacer.acquire(Duration.ofMillis(100)).compareTo(Duration.ofSeconds(29)) > 0);

        pacer.learn("1");
        assertEquals(1, pacer.limit());
        assertTrue(pacer.acquire(Duration.ofMillis(100)).compareTo(Duration.ofSeconds(29)) > 0);
    }

    @Test
    void aMalformedOrMissingQuotaChangesNothing() {
        RequestPacer pacer = new RequestPacer(7, Duration.ofSeconds(30));
        pacer.learn(null);
        pacer.learn("many");
        pacer.learn("0");
        pacer.learn("-3");
        assertEquals(7, pacer.limit());
    }
}

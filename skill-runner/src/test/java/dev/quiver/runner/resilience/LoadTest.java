package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 executions over HTTP from 64 concurrent clients against the sandbox: every one answered as expected (no
 * 5xx), every one recorded under its own id, and the heap back to its baseline once they are done.
 */
class LoadTest {

    private static final int CLIENTS = 64;
    private static final int EXECUTIONS = 10_000;
    private static final int WARM_UP = 500;
    /** Far below what 10,000 retained outputs or records would take (tens of MB), far above GC noise. */
    private static final long HEAP_SLACK_BYTES = 16L << 20;

    /** What the clients send, in turn: reads of several skills and one input the schema refuses. */
    private static final List<String[]> MIX = List.of(
            new String[]{"cloudflare_get_zone_details", "{}"},
            new String[]{"cloudflare_get_audit_logs", "{\"actor_email\": \"mallory@example.com\", \"limit\": 20}"},
            new String[]{"cloudflare_list_access_applications", "{}"},
            new String[]{"cloudflare_get_security_insights", "{\"severity\": [\"critical\"]}"},
            new String[]{"cloudflare_get_zone_details", "{\"limit\": \"many\"}"});

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tenThousandConcurrentExecutionsAreAllAnsweredAndRecordedAndLeaveTheHeapAsItWas() throws Exception {
        try (Service service = Service.start(dir)) {
            run(service, WARM_UP);
            long baseline = usedHeapAfterGc();

            Map<Integer, AtomicInteger> statuses = run(service, EXECUTIONS);

            long after = usedHeapAfterGc();
            int expectedRefused = EXECUTIONS / MIX.size();
            assertEquals(Set.of(200, 400), statuses.keySet(), "statuses: " + statuses);
            assertEquals(expectedRefused, statuses.get(400).get(), "only the refused input is a 400: " + statuses);
            assertEquals(EXECUTIONS - expectedRefused, statuses.get(200).get(), statuses.toString());

            Set<String> ids = recordedIds(service);
            assertEquals(WARM_UP + EXECUTIONS, ids.size(), "every execution recorded once, under its own id");

            assertTrue(after - baseline < HEAP_SLACK_BYTES, "heap after " + mib(after) + " MiB against "
                    + mib(baseline) + " MiB before the 10,000 executions");
        }
    }

    private static Map<Integer, AtomicInteger> run(Service service, int executions) throws Exception {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < executions; i = next.getAndIncrement()) {
                        String[] call = MIX.get(i % MIX.size());
                        Reply reply = service.execute(call[0], Role.ANALYST, call[1]);
                        statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return statuses;
    }

    private static Set<String> recordedIds(Service service) {
        Set<String> ids = new HashSet<>();
        String cursor = "";
        do {
            JsonNode page = service.get("/api/v1/executions?limit=1000" + cursor, Role.VIEWER).json();
            page.path("executions").forEach(record -> ids.add(record.path("id").asText()));
            cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode()
                    ? null : "&cursor=" + page.path("next_cursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}

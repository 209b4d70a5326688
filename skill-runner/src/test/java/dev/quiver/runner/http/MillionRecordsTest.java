package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.records.ExecutionRecord;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One million records in the service's database (SQLite, the default): a viewer's filtered first page comes back
 * through the real HTTP service holding one page, not the records. (The JSON-lines log this replaces parsed every
 * segment per query: ten such queries at once took a service from 0.9 to 3.7 GB.)
 */
class MillionRecordsTest {

    static final int RECORDS = 1_000_000;
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    // Record i: skill_(i % 20), conn-(i % 50), caller qk_(i % 10), failed when i % 7 == 0; one second apart.
    static ExecutionRecord record(int i) {
        boolean failed = i % 7 == 0;
        return new ExecutionRecord("ex_" + i, "skill_" + (i % 20), "conn-" + (i % 50), "qk_" + (i % 10), "http",
                T0.plusSeconds(i), 3, failed ? "failed" : "succeeded", failed ? "UPSTREAM_ERROR" : null,
                List.of("ray-" + i), 1, failed ? 0 : 42, false, TestSkills.json("{\"zone_id\": \"z" + i + "\"}"),
                failed ? null : TestSkills.json("{\"zone\": {\"id\": \"z" + i + "\", \"status\": \"active\"}}"));
    }

    static void fill(RecordStore store, int count) throws Exception {
        List<ExecutionRecord> batch = new ArrayList<>(20_000);
        for (int i = 1; i <= count; i++) {
            batch.add(record(i));
            if (batch.size() == 20_000 || i == count) {
                store.insert(batch);
                batch.clear();
            }
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void aViewersFilteredFirstPageOfAMillionRecordsComesBackHoldingOnlyAPage() throws Exception {
        try (Service service = Service.start(dir)) {
            long start = System.nanoTime();
            fill(service.runtime().records(), RECORDS);
            long filled = System.nanoTime();
            assertEquals(RECORDS, service.runtime().records().count());

            // skill_3, conn-13, failed: i = 63 (mod 100) and i = 0 (mod 7), so i = 63 (mod 700); newest first.
            List<String> expected = new ArrayList<>();
            for (int i = 63 + 700 * ((RECORDS - 63) / 700); expected.size() < 50; i -= 700) {
                expected.add("ex_" + i);
            }
            String filtered = "/api/v1/executions?skill=skill_3&status=failed&connection=conn-13&limit=50";
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            Reply warm = service.get(filtered, Role.VIEWER);
            assertEquals(200, warm.status(), warm.body());
            long before = heapAfterGc(memory);
            String scoped = service.runtime().keys().create(Role.VIEWER, ConnectionScope.of(List.of("conn-1*")),
                    null).key();
            JsonNode page = null;
            for (int round = 0; round < 10; round++) {
                page = service.get(filtered, Role.VIEWER).json();
                assertEquals(200, service.get("/api/v1/executions?status=failed&limit=1000", Role.VIEWER).status());
                assertEquals(200, service.get("/api/v1/executions?caller=qk_3&limit=200", Role.VIEWER).status());
                assertEquals(200, service.send("GET", "/api/v1/executions?skill=skill_7&limit=100", scoped, null,
                        null).status());
            }
            long after = heapAfterGc(memory);
            long queried = System.nanoTime();

            List<String> ids = new ArrayList<>();
            page.path("executions").forEach(r -> ids.add(r.path("id").asText()));
            assertEquals(expected, ids);
            page.path("executions").forEach(r -> assertTrue(r.path("status").asText().equals("failed")
                    && r.path("skill").asText().equals("skill_3") && r.path("connection").asText().equals("conn-13")));
            JsonNode next = service.get(filtered + "&cursor=" + page.path("next_cursor").asText(), Role.VIEWER).json();
            assertEquals("ex_" + (Integer.parseInt(expected.get(49).substring(3)) - 700),
                    next.at("/executions/0/id").asText(), "the next page follows on");
            long growth = after - before;
            System.err.printf("million records: filled in %.1f s, 40 queries in %.1f s, heap after GC %d MB ->"
                            + " %d MB%n", (filled - start) / 1e9, (queried - filled) / 1e9, before >> 20, after >> 20);
            assertTrue(growth < 16L << 20, "heap grew by " + (growth >> 20) + " MB over 40 queries of a million"
                    + " records");
        }
    }
}

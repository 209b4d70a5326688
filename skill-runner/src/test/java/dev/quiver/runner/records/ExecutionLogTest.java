package dev.quiver.runner.records;

import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionLogTest {

    @TempDir
    Path dir;

    private static ExecutionRecord record(String id, String skill, String status) {
        return new ExecutionRecord(id, skill, "conn", "cli", "cli", Instant.parse("2026-11-23T00:00:00Z"), 5, status,
                status.equals("failed") ? "TIMEOUT" : null, List.of("ray-" + id), 1, 10, false,
                TestSkills.json("{\"n\": 1}"));
    }

    @Test
    void aPartialLastLineLeftByACrashIsCutOffAndEveryAcknowledgedRecordSurvives() throws Exception {
        try (ExecutionLog log = ExecutionLog.open(dir)) {
            log.append(record("ex_1", "a", "succeeded"));
            log.append(record("ex_2", "a", "failed"));
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        Files.writeString(segment, "{\"seq\":3,\"id\":\"ex_3\",\"skill\":\"a\",\"sta", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (ExecutionLog log = ExecutionLog.open(dir)) {
            assertEquals(List.of("ex_2", "ex_1"), ids(log.query(new RecordQuery(null, null, null, 10, null))));
            log.append(record("ex_4", "a", "succeeded"));
            assertEquals(List.of("ex_4", "ex_2", "ex_1"), ids(log.query(new RecordQuery(null, null, null, 10, null))));
            assertEquals("TIMEOUT", log.find("ex_2").orElseThrow().errorCode());
        }
        assertTrue(Files.readString(segment).endsWith("\n"), "no partial line is left in the middle");
    }

    @Test
    void queriesFilterAndPageNewestFirstAcrossSegments() throws Exception {
        int total = ExecutionLog.SEGMENT_RECORDS + 5;
        try (ExecutionLog log = ExecutionLog.open(dir)) {
            for (int i = 1; i <= total; i++) {
                log.append(record("ex_" + i, i % 2 == 0 ? "even" : "odd", i % 3 == 0 ? "failed" : "succeeded"));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.filter(f -> f.toString().endsWith(".jsonl")).count(),
                    "a second segment once the first is full");
        }
        try (ExecutionLog log = ExecutionLog.open(dir)) {
            ExecutionLog.Page first = log.query(new RecordQuery("even", null, null, 3, null));
            assertEquals(List.of("ex_" + (total - 1), "ex_" + (total - 3), "ex_" + (total - 5)), ids(first));
            ExecutionLog.Page second = log.query(new RecordQuery("even", null, null, 3, first.next()));
            assertEquals(List.of("ex_" + (total - 7), "ex_" + (total - 9), "ex_" + (total - 11)), ids(second));
            ExecutionLog.Page failedOdd = log.query(new RecordQuery("odd", "failed", null, 1000, null));
            assertEquals(1000, failedOdd.records().size());
            assertTrue(failedOdd.records().stream().allMatch(r -> r.status().equals("failed")
                    && r.skill().equals("odd")));
            ExecutionLog.Page last = log.query(new RecordQuery(null, null, null, 2, 3L));
            assertEquals(List.of("ex_2", "ex_1"), ids(last));
            assertNull(last.next());
        }
    }

    @Test
    void twoWritersOnOneHomeNeverReuseASequenceNumber() throws Exception {
        try (ExecutionLog service = ExecutionLog.open(dir); ExecutionLog cli = ExecutionLog.open(dir)) {
            for (int i = 0; i < 20; i++) {
                (i % 3 == 0 ? cli : service).append(record("ex_" + i, "a", "succeeded"));
            }
            List<String> ids = ids(service.query(new RecordQuery(null, null, null, 100, null)));
            assertEquals(20, ids.size());
            assertEquals("ex_19", ids.get(0));
            assertEquals(ids, ids(cli.query(new RecordQuery(null, null, null, 100, null))));
            ExecutionLog.Page page = service.query(new RecordQuery(null, null, null, 10, null));
            assertEquals(10, service.query(new RecordQuery(null, null, null, 100, page.next())).records().size(),
                    "paging by sequence number sees each record once");
        }
    }

    private static List<String> ids(ExecutionLog.Page page) {
        return page.records().stream().map(ExecutionRecord::id).toList();
    }
}

package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.testing.Postgres;
import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The records store on a real SQLite file and on a real PostgreSQL server (started by the test). */
class RecordStoreTest {

    static final Instant T0 = Instant.parse("2026-11-23T00:00:00.123456Z");

    @TempDir
    Path dir;

    private String url(String kind) {
        return kind.equals("sqlite") ? RecordsSettings.sqliteUrl(dir) : Postgres.newDatabase();
    }

    static ExecutionRecord record(String id, String skill, String connection, String caller, String status,
                                  Instant started) {
        return new ExecutionRecord(id, skill, connection, caller, "http", started, 5, status,
                status.equals("failed") ? "TIMEOUT" : null, List.of("ray-" + id), 1, 10, false,
                TestSkills.json("{\"n\": 1}"), status.equals("failed") ? null : TestSkills.json("{\"ok\": \"" + id
                + "\"}"));
    }

    private static List<String> ids(RecordStore.Page page) {
        return page.records().stream().map(ExecutionRecord::id).toList();
    }

    private static RecordQuery query(String skill, String status, String connection, String caller, int limit) {
        return new RecordQuery(skill, status, connection, caller, null, null, ConnectionScope.all(), limit, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void filtersPageNewestFirstWithAStableCursorAndKeepEveryField(String kind) throws Exception {
        List<ExecutionRecord> all = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            all.add(record("ex_" + i, i % 2 == 0 ? "even" : "odd", i % 4 < 2 ? "acme-prod" : "globex",
                    i % 5 == 0 ? "cli" : "qk_1", i % 3 == 0 ? "failed" : "succeeded", T0.plusSeconds(i)));
        }
        try (RecordStore store = RecordStore.open(url(kind))) {
            assertEquals(40, store.insert(all));
            assertEquals(0, store.insert(all.subList(0, 5)), "an id already stored is skipped");

            RecordStore.Page first = store.query(query("even", null, null, null, 3));
            assertEquals(List.of("ex_40", "ex_38", "ex_36"), ids(first));
            assertNotNull(first.next());
            assertEquals(first.next(), store.query(query("even", null, null, null, 3)).next(), "a stable cursor");
            RecordStore.Page second = store.query(query("even", null, null, null, 3).after(first.next()));
            assertEquals(List.of("ex_34", "ex_32", "ex_30"), ids(second));

            for (ExecutionRecord r : store.query(query("odd", "failed", "globex", null, 100)).records()) {
                assertTrue(r.skill().equals("odd") && r.status().equals("failed")
                        && r.connection().equals("globex"), r.toString());
            }
            assertEquals(List.of("ex_35", "ex_15"), ids(store.query(query("odd", null, "globex", "cli", 100))));
            assertEquals(List.of("ex_33", "ex_21", "ex_9"), ids(store.query(query("odd", "failed", "acme-prod", "qk_1",
                    100))));
            RecordQuery window = new RecordQuery(null, null, null, null, T0.plusSeconds(10), T0.plusSeconds(13),
                    ConnectionScope.all(), 100, null);
            assertEquals(List.of("ex_12", "ex_11", "ex_10"), ids(store.query(window)));

            RecordStore.Page last = store.query(RecordQuery.newest(4).after(store.query(RecordQuery.newest(36))
                    .next()));
            assertEquals(List.of("ex_4", "ex_3", "ex_2", "ex_1"), ids(last));
            assertNull(last.next(), "the last page has no next cursor");

            ExecutionRecord found = store.find("ex_3", ConnectionScope.all()).orElseThrow();
            ExecutionRecord expected = all.get(2);
            assertEquals(expected.toJson(), found.toJson(), "every field, the microseconds of its start too");
            assertEquals(all.get(3).output(), store.find("ex_4", ConnectionScope.all()).orElseThrow().output());
            assertNotNull(all.get(3).output());
            assertNull(store.query(query(null, null, null, null, 1)).records().get(0).output(),
                    "the list leaves the output out");
            assertThrows(IllegalArgumentException.class,
                    () -> store.query(RecordQuery.newest(5).after("not-a-cursor")));
            assertTrue(store.readable());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aScopeLimitsListsAndLookUpsAndItsGlobsEscapeLikesWildcards(String kind) throws Exception {
        try (RecordStore store = RecordStore.open(url(kind))) {
            store.insert(List.of(record("ex_1", "s", "acme_1", "k", "succeeded", T0),
                    record("ex_2", "s", "acmex1", "k", "succeeded", T0.plusSeconds(1)),
                    record("ex_3", "s", "acme_2", "k", "failed", T0.plusSeconds(2)),
                    record("ex_4", "s", "other", "k", "succeeded", T0.plusSeconds(3)),
                    record("ex_5", "s", "a%b", "k", "succeeded", T0.plusSeconds(4))));
            ConnectionScope acme = ConnectionScope.of(List.of("acme_*"));
            RecordQuery all = RecordQuery.newest(100).within(acme);
            assertEquals(List.of("ex_3", "ex_1"), ids(store.query(all)), "'_' is literal, not any character");
            assertEquals(List.of("ex_4"), ids(store.query(RecordQuery.newest(100).within(ConnectionScope.of(
                    List.of("other"))))));
            assertEquals(List.of("ex_4", "ex_3", "ex_1"), ids(store.query(RecordQuery.newest(100).within(
                    ConnectionScope.of(List.of("acme_*", "other"))))));
            assertEquals(List.of(), ids(store.query(new RecordQuery(null, null, "other", null, null, null, acme,
                    100, null))), "a connection filter outside the scope finds nothing");
            assertTrue(store.find("ex_1", acme).isPresent());
            assertTrue(store.find("ex_2", acme).isEmpty(), "outside the scope: as if missing");
            assertTrue(store.find("ex_2", ConnectionScope.all()).isPresent());
            assertEquals("acme_%", ScopeSql.like("acme_*").replace("\\", ""));
            assertEquals("acme\\_%", ScopeSql.like("acme_*"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDurableRecordIsCommittedBeforeAppendReturnsAndAReadOneByFlushOrClose(String kind) throws Exception {
        String url = url(kind);
        try (RecordStore writer = RecordStore.open(url); RecordStore other = RecordStore.open(url)) {
            writer.append(record("ex_w", "s", "c", "k", "succeeded", T0), true);
            assertTrue(other.find("ex_w", ConnectionScope.all()).isPresent(), "committed: another reader sees it");
            writer.append(record("ex_r1", "s", "c", "k", "succeeded", T0), false);
            writer.flush();
            assertTrue(other.find("ex_r1", ConnectionScope.all()).isPresent());
            writer.append(record("ex_r2", "s", "c", "k", "succeeded", T0), false);
            writer.close();
            assertTrue(other.find("ex_r2", ConnectionScope.all()).isPresent(), "closing writes what is queued");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void twoStoresOnOneDatabaseWritingAtOnceLoseNoRecordAndNeverReuseAPosition(String kind) throws Exception {
        String url = url(kind);
        int perThread = 150;
        try (RecordStore service = RecordStore.open(url); RecordStore cli = RecordStore.open(url)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                RecordStore store = t % 2 == 0 ? service : cli;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.append(record("ex_" + thread + "_" + i, "s", "c", "k", "succeeded", T0), i % 3 == 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            threads.shutdown();
            service.flush();
            cli.flush();
            assertEquals(8L * perThread, service.count());
            Set<String> seen = new HashSet<>();
            String cursor = null;
            do {
                RecordStore.Page page = cli.query(RecordQuery.newest(97).after(cursor));
                for (ExecutionRecord r : page.records()) {
                    assertTrue(seen.add(r.id()), "each record once: " + r.id());
                }
                cursor = page.next();
            } while (cursor != null);
            assertEquals(8 * perThread, seen.size());
        }
        if (kind.equals("sqlite")) {
            try (Connection c = DriverManager.getConnection(url);
                 ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(DISTINCT seq), COUNT(*) FROM executions")) {
                rs.next();
                assertEquals(rs.getLong(2), rs.getLong(1), "unique positions");
                ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
                mode.next();
                assertEquals("wal", mode.getString(1));
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(dir.resolve("records.db"))), "owner-only");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void pruningDeletesWhatIsPastTheRetentionThenTheOldestBeyondTheCapInBatches(String kind) throws Exception {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        List<ExecutionRecord> records = new ArrayList<>();
        for (int i = 0; i < RecordPruner.BATCH + 7; i++) {
            records.add(record("old_" + i, "s", "c", "k", "succeeded", now.minus(Duration.ofDays(100))));
        }
        for (int i = 0; i < 30; i++) {
            records.add(record("new_" + i, "s", "c", "k", "succeeded", now.minus(Duration.ofDays(1))
                    .plusSeconds(i)));
        }
        try (RecordStore store = RecordStore.open(url(kind))) {
            store.insert(records);
            RecordPruner pruner = new RecordPruner(store, Duration.ofDays(90), 20, Clock.fixed(now, ZoneOffset.UTC));
            RecordPruner.Pruned pruned = pruner.prune();
            assertEquals(RecordPruner.BATCH + 7, pruned.expired());
            assertEquals(10, pruned.beyondCap());
            assertEquals(20, store.count());
            assertEquals("new_29", store.query(RecordQuery.newest(1)).records().get(0).id());
            assertTrue(store.find("new_9", ConnectionScope.all()).isEmpty(), "the oldest beyond the cap went");
            assertTrue(store.find("new_10", ConnectionScope.all()).isPresent());
            assertEquals(0, pruner.prune().total(), "nothing more to prune");
            pruner.close();
        }
    }

    /** The filter combinations an index matches exactly: they read limit + 1 index entries and stop. */
    private static final Set<String> EXACT = Set.of("", "skill", "status", "connection", "caller", "skill,status",
            "skill,status,connection");

    private static String plan(Connection c, String sql, List<Object> args) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            RecordSelect.bind(explain, args);
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append("; ");
                }
            }
        }
        return plan.toString();
    }

    @Test
    void everyCombinationOfFiltersReadsAnIndexInOrderWithoutSortingAndTheCommonOnesExactly() throws Exception {
        String url = url("sqlite");
        try (RecordStore store = RecordStore.open(url); Connection c = DriverManager.getConnection(url)) {
            String[] names = {"skill", "status", "connection", "caller"};
            for (int mask = 0; mask < 16; mask++) {
                String[] v = new String[4];
                for (int i = 0; i < 4; i++) {
                    v[i] = (mask & (1 << i)) != 0 ? (i == 1 ? "failed" : "x") : null;
                }
                RecordSelect select = RecordSelect.of(new RecordQuery(v[0], v[1], v[2], v[3], null, null,
                        ConnectionScope.all(), 50, null), 1000L);
                String plan = plan(c, select.sql(), select.args());
                String filters = String.join(",", java.util.stream.IntStream.range(0, 4)
                        .filter(i -> v[i] != null).mapToObj(i -> names[i]).toList());
                assertEquals(!EXACT.contains(filters), select.windowed(), filters);
                if (!select.windowed()) {
                    assertFalse(plan.contains("TEMP B-TREE"), filters + ": sorts: " + plan);
                    for (int i = 0; i < 4 && mask != 0; i++) {
                        assertTrue(v[i] == null || plan.contains(names[i] + "=?"), filters + ": " + names[i]
                                + " is not an index condition: " + plan);
                    }
                } else {
                    String window = plan(c, select.windowSql(), select.windowArgs());
                    assertTrue(window.contains("COVERING INDEX") && !window.contains("TEMP B-TREE"),
                            filters + ": the window does not walk an index in order: " + window);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aSparseFilterNoIndexMatchesExaminesABoundedWindowPerPageAndTheCursorsFindEveryMatch(String kind)
            throws Exception {
        int total = 2 * RecordSelect.SCAN_BUDGET + 2000;
        Set<Integer> matching = Set.of(5, RecordSelect.SCAN_BUDGET + 1000, total - 10);
        List<ExecutionRecord> records = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            records.add(record("ex_" + i, "s", "c", matching.contains(i) ? "k1" : "k0", "succeeded",
                    T0.plusSeconds(i)));
        }
        try (RecordStore store = RecordStore.open(url(kind))) {
            store.insert(records);
            RecordQuery sparse = new RecordQuery(null, null, "c", "k1", null, null, ConnectionScope.all(), 50, null);
            List<List<String>> pages = new ArrayList<>();
            String cursor = null;
            do {
                RecordStore.Page page = store.query(sparse.after(cursor));
                pages.add(ids(page));
                cursor = page.next();
            } while (cursor != null && pages.size() < 10);
            assertEquals(List.of(List.of("ex_" + (total - 10)), List.of("ex_" + (RecordSelect.SCAN_BUDGET + 1000)),
                    List.of("ex_5")), pages, "one window of " + RecordSelect.SCAN_BUDGET + " entries a page");
            RecordQuery none = new RecordQuery(null, null, "c", "nobody", null, null, ConnectionScope.all(), 50,
                    null);
            RecordStore.Page empty = store.query(none);
            assertEquals(List.of(), ids(empty));
            assertNotNull(empty.next(), "nothing in this window, more to look at below it");
        }
    }

    @Test
    void inputAndOutputPastTheLimitBecomeAMarkerWithAPreview() throws Exception {
        JsonNode big = TestSkills.json("{\"text\": \"" + "é".repeat(3000) + "\"}");
        JsonNode capped = CappedJson.cap(big, 1024);
        assertTrue(CappedJson.truncated(capped));
        assertEquals(6011, capped.path("original_bytes").asInt());
        String preview = capped.path("preview").asText();
        assertTrue(preview.startsWith("{\"text\":\"éé"));
        assertTrue(preview.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 512, "half the limit");
        assertFalse(preview.contains("\uFFFD"), "never half a character");
        JsonNode small = TestSkills.json("{\"a\": 1}");
        assertEquals(small, CappedJson.cap(small, 1024));
        try (RecordStore store = RecordStore.open(url("sqlite"), 1024)) {
            store.append(record("ex_big", "s", "c", "k", "succeeded", T0).with(big, big), true);
            store.append(record("ex_small", "s", "c", "k", "succeeded", T0).with(small, small), true);
            ExecutionRecord back = store.find("ex_big", ConnectionScope.all()).orElseThrow();
            assertEquals(capped, back.output(), "the store caps what it writes");
            assertEquals(capped, back.input());
            assertEquals(small, store.find("ex_small", ConnectionScope.all()).orElseThrow().output());
        }
    }
}

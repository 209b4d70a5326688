package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A home written by the version that kept records as JSON lines is imported on first start. The fixture
 * ({@code records/legacy-home/executions/000000000001.jsonl}, 30 records) was written by that version's
 * {@code ExecutionLog} itself, not by hand.
 */
class LegacyImportTest {

    @TempDir
    Path dir;

    /** The fixture's 30 lines. */
    private static List<String> fixtureLines() throws IOException {
        try (InputStream in = LegacyImportTest.class.getResourceAsStream(
                "/records/legacy-home/executions/000000000001.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The fixture as an old home holds it after a crash: two segments, a partial last line. */
    private static List<String> writeOldHome(Path home) throws IOException {
        List<String> lines = fixtureLines();
        Path executions = Files.createDirectories(home.resolve("executions"));
        Files.writeString(executions.resolve("000000000001.jsonl"),
                String.join("\n", lines.subList(0, 20)) + "\n");
        Files.writeString(executions.resolve("000000000021.jsonl"),
                String.join("\n", lines.subList(20, 30)) + "\n{\"seq\":31,\"id\":\"ex_legacy_31\",\"skill\":\"cl");
        return lines;
    }

    @Test
    void recordsOfTheJsonLinesVersionAreImportedOnFirstStartAndServedAndNothingIsLost() throws Exception {
        List<String> lines = writeOldHome(dir.resolve("home"));
        try (Service service = Service.start(dir)) {
            JsonNode page = service.get("/api/v1/executions?limit=1000", Role.VIEWER).json();
            List<JsonNode> legacy = new ArrayList<>();
            page.path("executions").forEach(r -> {
                if (r.path("id").asText().startsWith("ex_legacy_")) {
                    legacy.add(r);
                }
            });
            assertEquals(30, legacy.size(), "every complete line; the partial one skipped");
            for (int i = 0; i < 30; i++) {
                ObjectNode line = (ObjectNode) Json.MAPPER.readTree(lines.get(29 - i));
                line.remove("seq");
                assertEquals(line, legacy.get(i), "newest first, every field as it was");
            }
            JsonNode one = service.get("/api/v1/executions/ex_legacy_12", Role.VIEWER).json();
            assertEquals("2026-11-20T10:12:00.000012Z", one.path("started").asText(), "microseconds kept");
            assertEquals(2, service.get("/api/v1/executions?status=failed&skill=cloudflare_get_zone_details"
                    + "&connection=acme-prod", Role.VIEWER).json().path("executions").size(), "ex_legacy_12 and ex_legacy_24");

            Path home = service.home();
            assertFalse(Files.exists(home.resolve("executions")));
            Path renamed;
            try (Stream<Path> files = Files.list(home)) {
                renamed = files.filter(f -> f.getFileName().toString().startsWith("executions.imported-"))
                        .findFirst().orElseThrow();
            }
            assertTrue(Files.exists(renamed.resolve("000000000021.jsonl")), "the old folder is kept, renamed");

            service.restart();
            assertEquals(30, service.runtime().records().query(RecordQuery.newest(1000)).records().stream()
                    .filter(r -> r.id().startsWith("ex_legacy_")).count(), "imported once");
        }
    }

    @Test
    void anImportCutShortRunsAgainWithoutDoublingAnything() throws Exception {
        Path home = dir.resolve("home");
        writeOldHome(home);
        List<ExecutionRecord> some = new ArrayList<>();
        for (String line : fixtureLines().subList(0, 12)) {
            some.add(ExecutionRecord.fromJson(Json.MAPPER.readTree(line)));
        }
        try (RecordStore store = RecordStore.open(RecordsSettings.sqliteUrl(home))) {
            store.insert(some);
            LegacyImport.Imported imported = LegacyImport.run(home, store, Clock.systemUTC());
            assertEquals(18, imported.records(), "the twelve already there are skipped");
            assertEquals(1, imported.skippedLines());
            assertEquals(30, store.count());
            assertNull(LegacyImport.run(home, store, Clock.systemUTC()), "nothing left to import");
            assertEquals("ex_legacy_30", store.query(RecordQuery.newest(1)).records().get(0).id());
            assertTrue(store.find("ex_legacy_1", ConnectionScope.all()).isPresent());
        }
    }
}

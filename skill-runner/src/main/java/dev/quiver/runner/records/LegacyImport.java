package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.files.FileLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves the records of earlier versions ({@code <home>/executions/*.jsonl}: one JSON object a line, {@code seq} and
 * the record's fields) into the records database, once: segments oldest first, line by line (never a whole file in
 * memory), in batches that skip ids already stored, so an import cut short runs again from the start without
 * doubling anything. Then the folder is renamed {@code executions.imported-<UTC time>}, kept for the operator to
 * delete. A line that does not parse (the partial last line a crash can leave) is skipped and counted.
 */
public final class LegacyImport {

    private static final Logger log = LoggerFactory.getLogger(LegacyImport.class);
    private static final int BATCH = 1_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What an import did. */
    public record Imported(long records, long skippedLines, Path renamedTo) {
    }

    private LegacyImport() {
    }

    /**
     * Imports {@code <home>/executions} into {@code store} when it holds segments; returns {@code null} when there is
     * nothing to import. Processes starting together on one home take turns on the folder's lock file.
     */
    public static Imported run(Path home, RecordStore store, Clock clock) {
        Path dir = home.resolve("executions");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try {
            return FileLocks.withLock(home.resolve(".records-import.lock"), () -> {
                if (!Files.isDirectory(dir)) {
                    return null;
                }
                long imported = 0;
                long skipped = 0;
                for (Path segment : segments(dir)) {
                    long[] counts = importSegment(segment, store);
                    imported += counts[0];
                    skipped += counts[1];
                }
                Path target = home.resolve("executions.imported-" + STAMP.format(clock.instant()));
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                log.info("execution records: imported {} record(s) from {} into {}{}; the old folder is now {}",
                        imported, dir, store.safeUrl(), skipped == 0 ? "" : " (" + skipped + " unreadable line(s)"
                                + " skipped)", target);
                return new Imported(imported, skipped, target);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import the execution records in " + dir, e);
        }
    }

    private static long[] importSegment(Path segment, RecordStore store) throws IOException {
        long imported = 0;
        long skipped = 0;
        List<ExecutionRecord> batch = new ArrayList<>(BATCH);
        try (BufferedReader reader = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                ExecutionRecord record = parse(line);
                if (record == null) {
                    skipped++;
                    continue;
                }
                batch.add(record);
                if (batch.size() == BATCH) {
                    imported += insert(store, batch);
                }
            }
            imported += insert(store, batch);
        }
        return new long[] {imported, skipped};
    }

    private static ExecutionRecord parse(String line) {
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return node.hasNonNull("id") && node.hasNonNull("started") ? ExecutionRecord.fromJson(node) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long insert(RecordStore store, List<ExecutionRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            return store.insert(batch);
        } catch (SQLException e) {
            throw new IOException("cannot insert imported records: " + e.getMessage(), e);
        } finally {
            batch.clear();
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}

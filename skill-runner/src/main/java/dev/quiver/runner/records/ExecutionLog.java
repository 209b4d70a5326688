package dev.quiver.runner.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.store.AtomicFiles;
import dev.quiver.runner.store.FileLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The execution records: an append-only log of JSON lines in {@code executions/} of the home folder, cut into
 * segments of {@value #SEGMENT_RECORDS} records. A record is acknowledged only once it is forced to disk. One
 * writer thread does the writing and forces once per batch of waiting records (group commit), so fifty concurrent
 * executions cost a handful of fsyncs, not fifty.
 *
 * <p>A crash can leave at most a partial last line, which opening the log cuts off: every acknowledged record
 * survives. Queries read segments newest first and stop when the page is full.
 *
 * <p>Several processes may share a home (a service, and CLI runs beside it): each batch is written under an
 * exclusive lock on {@code executions/.lock}, and a writer that finds the log grown by another process reads its
 * tail again first, so sequence numbers stay unique and lines never interleave.
 */
public final class ExecutionLog implements AutoCloseable {

    static final int SEGMENT_RECORDS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ExecutionLog.class);
    private static final byte[] NEWLINE = {'\n'};
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;
    private final Path lock;
    private FileChannel segment;
    private Path segmentPath;
    private long segmentSize;
    private int segmentRecords;
    private long nextSeq;

    /** A record waiting for the writer: its JSON without the sequence number, which the writer assigns. */
    private record Pending(byte[] json, CompletableFuture<Long> done) {
    }

    /** A page of records, newest first, and the cursor of the next (older) page, or {@code null} at the end. */
    public record Page(List<ExecutionRecord> records, Long next) {
        public Page {
            records = List.copyOf(records);
        }
    }

    private ExecutionLog(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        AtomicFiles.ownerOnly(dir);
        this.lock = dir.resolve(".lock");
        FileLocks.withLock(lock, () -> {
            recover();
            return null;
        });
        this.writer = new Thread(this::writeLoop, "quiver-records");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens the log in {@code dir}, cutting off a partial last line a crash may have left. */
    public static ExecutionLog open(Path dir) {
        try {
            return new ExecutionLog(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the execution records in " + dir, e);
        }
    }

    /** Appends a record and returns once it is on disk. */
    public void append(ExecutionRecord record) throws IOException {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!open) {
            throw new IOException("the execution log is closed");
        }
        // Serialized here, on the caller's thread, so the one writer thread only writes and forces.
        queue.add(new Pending(Json.MAPPER.writeValueAsBytes(record.toJson()), done));
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the execution log did not acknowledge the record within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the record was written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The records matching {@code query}, newest first. */
    public Page query(RecordQuery query) {
        List<ExecutionRecord> found = new ArrayList<>();
        long lastSeq = -1;
        for (Path file : segments(true)) {
            if (query.before() != null && firstSeq(file) >= query.before()) {
                continue;
            }
            List<JsonNode> lines = read(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                JsonNode line = lines.get(i);
                long seq = line.path("seq").asLong();
                if (query.before() != null && seq >= query.before()) {
                    continue;
                }
                ExecutionRecord record = ExecutionRecord.fromJson(line);
                if (!query.matches(record)) {
                    continue;
                }
                if (found.size() == query.limit()) {
                    return new Page(found, lastSeq);
                }
                found.add(record);
                lastSeq = seq;
            }
        }
        return new Page(found, null);
    }

    /** The record of execution {@code id}. */
    public Optional<ExecutionRecord> find(String id) {
        for (Path file : segments(true)) {
            List<JsonNode> lines = read(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (id.equals(lines.get(i).path("id").asText())) {
                    return Optional.of(ExecutionRecord.fromJson(lines.get(i)));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the log's folder can be read (for the health check). */
    public boolean readable() {
        return Files.isDirectory(dir) && Files.isReadable(dir);
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 511);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Long> seqs = new ArrayList<>(batch.size());
        try {
            FileLocks.withLock(lock, () -> {
                append(batch, seqs);
                return null;
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(seqs.get(i));
            }
        } catch (IOException | RuntimeException e) {
            log.error("cannot write execution records to {}: {}", dir, e.toString());
            batch.forEach(p -> p.done().completeExceptionally(e instanceof IOException ? e : new IOException(e)));
        }
    }

    // Under the lock.
    private void append(List<Pending> batch, List<Long> seqs) throws IOException {
        if (grownByAnother()) {
            recover();
        }
        for (Pending pending : batch) {
            if (segment == null || segmentRecords >= SEGMENT_RECORDS) {
                rotate();
            }
            // {"seq":N, + the record's JSON after its opening brace + newline
            byte[] json = pending.json();
            byte[] head = ("{\"seq\":" + nextSeq + (json.length > 2 ? "," : "")).getBytes(StandardCharsets.UTF_8);
            ByteBuffer[] line = {ByteBuffer.wrap(head), ByteBuffer.wrap(json, 1, json.length - 1),
                    ByteBuffer.wrap(NEWLINE)};
            while (line[2].hasRemaining()) {
                segment.write(line);
            }
            seqs.add(nextSeq++);
            segmentRecords++;
        }
        segment.force(false);
        segmentSize = segment.size();
    }

    private void rotate() throws IOException {
        if (segment != null) {
            segment.force(false);
            segment.close();
        }
        Path file = dir.resolve(String.format("%012d%s", nextSeq, SUFFIX));
        segment = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        AtomicFiles.ownerOnly(file);
        segmentPath = file;
        segmentRecords = 0;
    }

    // Under the lock: has another process written since this one last did? Another writer either appended to our
    // segment (its size changed) or, when ours was full, started the next one; only then is the folder listed.
    private boolean grownByAnother() throws IOException {
        if (segmentPath != null && segmentRecords < SEGMENT_RECORDS) {
            return Files.size(segmentPath) != segmentSize;
        }
        List<Path> files = segments(false);
        Path newest = files.isEmpty() ? null : files.get(files.size() - 1);
        if (newest == null) {
            return false;
        }
        return !newest.equals(segmentPath) || Files.size(newest) != segmentSize;
    }

    // Under the lock: position at the end of the newest segment, after cutting a partial last line.
    private void recover() throws IOException {
        if (segment != null) {
            segment.close();
            segment = null;
        }
        List<Path> files = segments(false);
        if (files.isEmpty()) {
            nextSeq = 1;
            segmentPath = null;
            return;
        }
        Path last = files.get(files.size() - 1);
        byte[] bytes = Files.readAllBytes(last);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        segment = FileChannel.open(last, StandardOpenOption.WRITE);
        if (end < bytes.length) {
            log.warn("execution records: cutting a partial last line ({} bytes) off {}", bytes.length - end, last);
            segment.truncate(end);
            segment.force(true);
        }
        segment.position(end);
        segmentPath = last;
        segmentSize = end;
        List<JsonNode> lines = read(last);
        segmentRecords = lines.size();
        nextSeq = lines.isEmpty() ? firstSeq(last) : lines.get(lines.size() - 1).path("seq").asLong() + 1;
    }

    private List<Path> segments(boolean newestFirst) {
        try (Stream<Path> files = Files.list(dir)) {
            Comparator<Path> order = Comparator.comparing(p -> p.getFileName().toString());
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted(newestFirst ? order.reversed() : order).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long firstSeq(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    // A line still being written (or cut by a crash) does not parse and is skipped.
    private static List<JsonNode> read(Path file) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException partial) {
                    // skipped
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return lines;
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
            if (segment != null) {
                segment.force(true);
                segment.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("closing the execution log: {}", e.toString());
        }
    }
}

package dev.quiver.runner.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records' one writer thread: inserts every waiting record in one transaction (group commit: fifty concurrent
 * executions cost a handful of commits, not fifty). A caller who waits (a write skill's record, a flush) is answered
 * once the transaction is committed; records nobody waits for are gathered for up to {@link #LINGER_NANOS} first.
 */
final class RecordWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    private static final int BATCH = 512;
    private static final int QUEUE = 50_000;
    private static final int WRITE_ATTEMPTS = 3;
    /** How long a read skill's record may wait for others to share its transaction. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RecordsDatabase database;
    private final int maxJsonBytes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong uncommitted = new AtomicLong();
    private final Thread thread;
    private volatile boolean open = true;
    private Connection connection;

    /**
     * A record waiting for the writer, or (record {@code null}) a flush waiting for those before it.
     *
     * @param waited whether someone waits for the commit: a write skill's record, or a flush
     */
    private record Pending(ExecutionRecord record, CompletableFuture<Void> done, boolean waited) {
    }

    RecordWriter(RecordsDatabase database, int maxJsonBytes) {
        this.database = database;
        this.maxJsonBytes = maxJsonBytes;
        this.thread = new Thread(this::writeLoop, "quiver-records");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Records {@code record}: with {@code durable}, returns once its transaction is committed; without, once the
     * writer has it (it commits within milliseconds; a failure to is logged).
     */
    void append(ExecutionRecord record, boolean durable) throws IOException {
        if (!open) {
            throw new IOException("the execution records are closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        uncommitted.incrementAndGet();
        try {
            if (!queue.offer(new Pending(record, done, durable), 5, TimeUnit.SECONDS)) {
                uncommitted.decrementAndGet();
                throw new IOException("the execution records' writer is " + QUEUE + " records behind");
            }
        } catch (InterruptedException e) {
            uncommitted.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the record was queued", e);
        }
        if (durable) {
            await(done);
        }
    }

    /** Returns once every record handed to the writer before this call is committed (or failed). */
    void flush() throws IOException {
        if (!thread.isAlive()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(null, done, true));
        await(done);
    }

    // Read-your-writes within this process; a record that failed to commit does not hold queries up.
    void awaitUncommitted() {
        if (uncommitted.get() > 0) {
            try {
                flush();
            } catch (IOException e) {
                log.debug("execution records: flush before a query: {}", e.getMessage());
            }
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                linger(batch);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    // While nobody waits for the commit (only read skills' records), gather records for up to LINGER before
    // committing: one transaction and one fsync for several records, even when executions come one at a time.
    private void linger(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (open && batch.size() < BATCH && batch.stream().noneMatch(Pending::waited)) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, BATCH - batch.size());
        }
    }

    // A failed transaction is tried again on a new connection (another process may have held the lock past the
    // busy timeout, or PostgreSQL restarted); a record that still fails is reported to its waiter, or logged.
    private void write(List<Pending> batch) {
        List<ExecutionRecord> records = new ArrayList<>(batch.size());
        batch.stream().filter(p -> p.record() != null).forEach(p -> records.add(p.record()));
        SQLException failure = null;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS && !records.isEmpty(); attempt++) {
            try {
                if (connection == null) {
                    connection = database.connect(true);
                }
                RecordRows.insert(connection, records, maxJsonBytes);
                failure = null;
                break;
            } catch (SQLException e) {
                failure = e;
                closeConnection();
                sleep(50L * attempt);
            }
        }
        uncommitted.addAndGet(-records.size());
        if (failure == null) {
            batch.forEach(p -> p.done().complete(null));
            return;
        }
        log.error("cannot write {} execution record(s) to {}: {}", records.size(), database.safeUrl(),
                failure.getMessage());
        IOException error = new IOException("the execution record could not be written: " + failure.getMessage(),
                failure);
        batch.forEach(p -> p.done().completeExceptionally(error));
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the execution records did not commit the record within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the record was written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // replaced anyway
            }
            connection = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then stops the thread and closes its connection; later calls do nothing. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("execution records: the writer did not finish within 30 s; {} record(s) not written",
                    queue.size());
            return;
        }
        closeConnection();
    }
}

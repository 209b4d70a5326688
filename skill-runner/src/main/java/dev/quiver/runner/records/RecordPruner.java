package dev.quiver.runner.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the records within their retention and row cap: a daemon thread prunes shortly after start and then every
 * hour, in batches of {@value #BATCH} (short transactions: the writer, and other nodes, are never held up long).
 * Several nodes on one database may prune at once; deleting what another already deleted is harmless.
 */
public final class RecordPruner implements AutoCloseable {

    static final int BATCH = 5_000;
    private static final Logger log = LoggerFactory.getLogger(RecordPruner.class);

    private final RecordStore store;
    private final Duration retention;
    private final long maxRows;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    /** What one pass deleted. */
    public record Pruned(long expired, long beyondCap) {
        public long total() {
            return expired + beyondCap;
        }
    }

    public RecordPruner(RecordStore store, Duration retention, long maxRows, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.maxRows = maxRows;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quiver-records-pruner");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Prunes after {@code first}, then every {@code every}. */
    public RecordPruner schedule(Duration first, Duration every) {
        scheduler.scheduleWithFixedDelay(this::pruneLogged, first.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass now: the records older than the retention, then the oldest beyond the row cap. */
    public Pruned prune() throws SQLException {
        long expired = 0;
        int deleted;
        do {
            deleted = store.deleteOlderThan(clock.instant().minus(retention), BATCH);
            expired += deleted;
        } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        long beyond = 0;
        do {
            deleted = store.deleteBeyond(maxRows, BATCH);
            beyond += deleted;
        } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        return new Pruned(expired, beyond);
    }

    private void pruneLogged() {
        try {
            Pruned pruned = prune();
            if (pruned.total() > 0) {
                log.info("execution records: pruned {} older than {} days and {} beyond the cap of {} rows",
                        pruned.expired(), retention.toDays(), pruned.beyondCap(), maxRows);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("execution records: pruning failed, tried again in an hour: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

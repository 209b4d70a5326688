package dev.quiver.runner.records;

import dev.quiver.runner.access.ConnectionScope;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The execution records in a database (SQLite by default, PostgreSQL when several nodes share them), written by one
 * {@link RecordWriter} thread that inserts every waiting record in one transaction (group commit: fifty concurrent
 * executions cost a handful of commits, not fifty). A write skill's record is waited for until its transaction is committed; a read
 * skill's is handed to the writer and committed within milliseconds, so a read is not slowed by the commit's
 * {@code fsync}. Closing writes what is queued.
 *
 * <p>A query first waits for the records this process has handed to the writer and not yet committed (milliseconds,
 * and nothing when there are none), so a caller sees the record of the execution it was just answered for.
 *
 * <p>Queries read one page: at most {@code limit + 1} rows are fetched, so no query holds more than a page. A query
 * whose filters an index matches exactly reads that many index entries and stops; any other examines at most
 * {@link RecordSelect#SCAN_BUDGET} entries (see {@link RecordSelect#of}).
 */
public final class RecordStore implements AutoCloseable {

    private final RecordsDatabase database;
    private final int maxJsonBytes;
    private final RecordWriter writer;

    /** A page of records, newest first, and the cursor of the next (older) page, or {@code null} at the end. */
    public record Page(List<ExecutionRecord> records, String next) {
        public Page {
            records = List.copyOf(records);
        }
    }

    private RecordStore(RecordsDatabase database, int maxJsonBytes) throws SQLException {
        this.database = database;
        this.maxJsonBytes = maxJsonBytes;
        try (Connection connection = database.connect()) {
            RecordsSchema.migrate(connection, database.dialect());
        }
        this.writer = new RecordWriter(database, maxJsonBytes);
    }

    /** Opens (and creates or migrates) the records database at {@code url}, inputs and outputs capped at 64 KiB. */
    public static RecordStore open(String url) {
        return open(url, RecordsSettings.DEFAULT_MAX_JSON_BYTES);
    }

    /**
     * Opens (and creates or migrates) the records database at {@code url}.
     *
     * @param maxJsonBytes a record's input and output are each stored as a {@link CappedJson} marker past this size
     */
    public static RecordStore open(String url, int maxJsonBytes) {
        RecordsDatabase database = new RecordsDatabase(url);
        try {
            return new RecordStore(database, maxJsonBytes);
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException("cannot open the execution records at " + database.safeUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The database's URL as it may be logged: no user, no password. */
    public String safeUrl() {
        return database.safeUrl();
    }

    /**
     * Records {@code record}: with {@code durable}, returns once its transaction is committed; without, once the
     * writer has it (it commits within milliseconds; a failure to is logged).
     */
    public void append(ExecutionRecord record, boolean durable) throws IOException {
        writer.append(record, durable);
    }

    /** Returns once every record handed to the writer before this call is committed (or failed). */
    public void flush() throws IOException {
        writer.flush();
    }

    /**
     * Inserts {@code records} now, in one transaction, on the caller's thread; a record whose id is already stored is
     * skipped (so an import can run twice). For imports, and for filling a database in tests and benchmarks.
     *
     * @return how many were new
     */
    public int insert(List<ExecutionRecord> records) throws SQLException {
        try (Connection connection = database.connect(true)) {
            return RecordRows.insert(connection, records, maxJsonBytes);
        }
    }

    /** The records matching {@code query}, newest first; one page and no more is read. */
    public Page query(RecordQuery query) {
        Long before = query.cursor() == null ? null : RecordCursor.decode(query.cursor());
        if (query.connection() != null && !query.scope().allows(query.connection())) {
            return new Page(List.of(), null);
        }
        RecordSelect select = RecordSelect.of(query, before);
        writer.awaitUncommitted();
        try {
            return database.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(select.sql())) {
                    RecordSelect.bind(statement, select.args());
                    statement.setFetchSize(query.limit() + 1);
                    List<ExecutionRecord> found = new ArrayList<>();
                    long lastSeq = 0;
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            if (found.size() == query.limit()) {
                                return new Page(found, RecordCursor.encode(lastSeq));
                            }
                            lastSeq = rs.getLong(1);
                            found.add(RecordRows.record(rs, false));
                        }
                    }
                    return new Page(found, select.windowed() ? select.belowWindow(connection) : null);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the execution records: " + e.getMessage(), e);
        }
    }

    /** The record of execution {@code id}, with its output, when its connection is in {@code scope}. */
    public Optional<ExecutionRecord> find(String id, ConnectionScope scope) {
        writer.awaitUncommitted();
        try {
            Optional<ExecutionRecord> found = database.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT seq, " + RecordRows.COLUMNS + ", output FROM executions WHERE id = ?")) {
                    statement.setString(1, id);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next() ? Optional.of(RecordRows.record(rs, true)) : Optional.empty();
                    }
                }
            });
            return found.filter(record -> scope.allows(record.connection()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the execution records: " + e.getMessage(), e);
        }
    }

    /** Whether the database answers (for the health check). */
    public boolean readable() {
        try {
            return database.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM schema_version");
                     ResultSet rs = statement.executeQuery()) {
                    return rs.next();
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }

    /** How many records there are (a full count: for tests and the benchmarks, not for requests). */
    public long count() throws SQLException {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM executions");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Deletes up to {@code batch} of the records started before {@code cutoff}, oldest first; returns how many. */
    int deleteOlderThan(Instant cutoff, int batch) throws SQLException {
        return delete("SELECT seq FROM executions WHERE started_us < ? ORDER BY started_us LIMIT ?",
                Micros.of(cutoff), batch);
    }

    /** Deletes up to {@code batch} of the oldest records beyond the newest {@code keep}; returns how many. */
    int deleteBeyond(long keep, int batch) throws SQLException {
        Long boundary = database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT seq FROM executions ORDER BY seq DESC LIMIT 1 OFFSET ?")) {
                statement.setLong(1, keep);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        if (boundary == null) {
            return 0;
        }
        return delete("SELECT seq FROM executions WHERE seq <= ? ORDER BY seq LIMIT ?", boundary, batch);
    }

    private int delete(String select, long bound, int batch) throws SQLException {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM executions WHERE seq IN (" + select + ")")) {
                statement.setLong(1, bound);
                statement.setInt(2, batch);
                return statement.executeUpdate();
            }
        });
    }

    /** Writes what is queued, then stops the writer and closes the connections; later calls do nothing. */
    @Override
    public void close() {
        writer.close();
        database.close();
    }
}

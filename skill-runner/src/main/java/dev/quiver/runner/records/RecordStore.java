package dev.quiver.runner.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.records.RecordsDatabase.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The execution records in a database (SQLite by default, PostgreSQL when several nodes share them), written by one
 * writer thread that inserts every waiting record in one transaction (group commit: fifty concurrent executions cost
 * a handful of commits, not fifty). A write skill's record is waited for until its transaction is committed; a read
 * skill's is handed to the writer and committed within milliseconds, so a read is not slowed by the commit's
 * {@code fsync}. Closing writes what is queued.
 *
 * <p>A query first waits for the records this process has handed to the writer and not yet committed (milliseconds,
 * and nothing when there are none), so a caller sees the record of the execution it was just answered for.
 *
 * <p>Queries read one page: at most {@code limit + 1} rows are fetched, so no query holds more than a page. A query
 * whose filters an index matches exactly reads that many index entries and stops; any other examines at most
 * {@link #SCAN_BUDGET} entries (see {@link #select}).
 */
public final class RecordStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordStore.class);
    private static final int BATCH = 512;
    private static final int QUEUE = 50_000;
    private static final int WRITE_ATTEMPTS = 3;
    /** How long a read skill's record may wait for others to share its transaction. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final String COLUMNS = "id, started_us, skill, connection, caller, source, status, error_code,"
            + " duration_ms, request_ids, requests_sent, output_bytes, dry_run, input";
    private static final String INSERT = "INSERT INTO executions (" + COLUMNS + ", output) VALUES"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    private final RecordsDatabase database;
    private final int maxJsonBytes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
    private final java.util.concurrent.atomic.AtomicLong uncommitted = new java.util.concurrent.atomic.AtomicLong();
    private final Thread writer;
    private volatile boolean open = true;
    private Connection writerConnection;

    /**
     * A record waiting for the writer, or (record {@code null}) a flush waiting for those before it.
     *
     * @param waited whether someone waits for the commit: a write skill's record, or a flush
     */
    private record Pending(ExecutionRecord record, CompletableFuture<Void> done, boolean waited) {
    }

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
        this.writer = new Thread(this::writeLoop, "quiver-records");
        writer.setDaemon(true);
        writer.start();
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
    public void flush() throws IOException {
        if (!writer.isAlive()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(null, done, true));
        await(done);
    }

    /**
     * Inserts {@code records} now, in one transaction, on the caller's thread; a record whose id is already stored is
     * skipped (so an import can run twice). For imports, and for filling a database in tests and benchmarks.
     *
     * @return how many were new
     */
    public int insert(List<ExecutionRecord> records) throws SQLException {
        try (Connection connection = database.connect(true)) {
            return insert(connection, records, maxJsonBytes);
        }
    }

    /** The records matching {@code query}, newest first; one page and no more is read. */
    public Page query(RecordQuery query) {
        Long before = query.cursor() == null ? null : RecordCursor.decode(query.cursor());
        if (query.connection() != null && !query.scope().allows(query.connection())) {
            return new Page(List.of(), null);
        }
        Select select = select(query, before);
        awaitUncommitted();
        try {
            return database.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(select.sql())) {
                    bind(statement, select.args());
                    statement.setFetchSize(query.limit() + 1);
                    List<ExecutionRecord> found = new ArrayList<>();
                    long lastSeq = 0;
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            if (found.size() == query.limit()) {
                                return new Page(found, RecordCursor.encode(lastSeq));
                            }
                            lastSeq = rs.getLong(1);
                            found.add(record(rs, false));
                        }
                    }
                    return new Page(found, select.windowed() ? belowWindow(connection, select) : null);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the execution records: " + e.getMessage(), e);
        }
    }

    /** The filter combinations an index matches exactly (see RecordsSchema). */
    private static final java.util.Set<String> EXACT = java.util.Set.of("", "skill", "status", "connection", "caller",
            "skill,status", "skill,status,connection");

    /** How many index entries a query whose filters no index matches exactly may examine for one page. */
    static final int SCAN_BUDGET = 5_000;

    /** A query's SQL and arguments, and, for a windowed one, the SQL of its window's lower end. */
    record Select(String sql, List<Object> args, String windowSql, List<Object> windowArgs) {
        boolean windowed() {
            return windowSql != null;
        }
    }

    // A query whose filters are exactly an index's columns walks that index in seq order and stops after limit + 1
    // entries. Any other (two filters no index pairs, a scope, time bounds) walks a window of at most SCAN_BUDGET
    // entries of the most selective single-column index and checks the other conditions in it: a sparse filter then
    // gets a short (even empty) page whose next_cursor continues below the window, instead of a scan of everything.
    static Select select(RecordQuery query, Long before) {
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        String[][] filters = {{"skill", query.skill()}, {"status", query.status()},
                {"connection", query.connection()}, {"caller", query.caller()}};
        for (String[] filter : filters) {
            if (filter[1] != null) {
                names.add(filter[0]);
                values.add(filter[1]);
            }
        }
        StringBuilder conditions = new StringBuilder();
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            conditions.append(" AND ").append(names.get(i)).append(" = ?");
            args.add(values.get(i));
        }
        boolean scoped = query.connection() == null && !query.scope().unrestricted();
        if (scoped) {
            ScopeSql.append(query.scope(), conditions, args);
        }
        if (query.since() != null) {
            conditions.append(" AND started_us >= ?");
            args.add(Micros.of(query.since()));
        }
        if (query.until() != null) {
            conditions.append(" AND started_us < ?");
            args.add(Micros.of(query.until()));
        }
        String position = before == null ? "" : " AND seq < ?";
        boolean exact = EXACT.contains(String.join(",", names)) && !scoped && query.since() == null
                && query.until() == null;
        String head = "SELECT seq, " + COLUMNS + " FROM executions WHERE 1 = 1";
        if (exact) {
            List<Object> all = new ArrayList<>(args);
            if (before != null) {
                all.add(before);
            }
            all.add(query.limit() + 1);
            return new Select(head + conditions + position + " ORDER BY seq DESC LIMIT ?", all, null, null);
        }
        // The window: the newest SCAN_BUDGET positions of the driving index (the first filter in order of likely
        // selectivity, else the table itself).
        String driving = null;
        Object drivingValue = null;
        for (String column : List.of("connection", "caller", "skill", "status")) {
            int at = names.indexOf(column);
            if (at >= 0) {
                driving = column;
                drivingValue = values.get(at);
                break;
            }
        }
        String window = "SELECT seq FROM executions WHERE " + (driving == null ? "1 = 1" : driving + " = ?")
                + position + " ORDER BY seq DESC LIMIT ?";
        List<Object> windowArgs = new ArrayList<>();
        if (drivingValue != null) {
            windowArgs.add(drivingValue);
        }
        if (before != null) {
            windowArgs.add(before);
        }
        windowArgs.add(SCAN_BUDGET);
        List<Object> all = new ArrayList<>(windowArgs);
        all.addAll(args);
        all.add(query.limit() + 1);
        return new Select(head.replace("WHERE 1 = 1", "WHERE seq IN (" + window + ")") + conditions
                + " ORDER BY seq DESC LIMIT ?", all,
                "SELECT MIN(seq), COUNT(*) FROM (" + window + ") w", windowArgs);
    }

    // The cursor below a window that was full (more records may match further back), else null (all examined).
    private static String belowWindow(Connection connection, Select select) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select.windowSql())) {
            bind(statement, select.windowArgs());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getLong(2) == SCAN_BUDGET ? RecordCursor.encode(rs.getLong(1)) : null;
            }
        }
    }

    /** The record of execution {@code id}, with its output, when its connection is in {@code scope}. */
    public Optional<ExecutionRecord> find(String id, ConnectionScope scope) {
        awaitUncommitted();
        try {
            Optional<ExecutionRecord> found = database.read(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT seq, " + COLUMNS + ", output FROM executions WHERE id = ?")) {
                    statement.setString(1, id);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next() ? Optional.of(record(rs, true)) : Optional.empty();
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

    // Read-your-writes within this process; a record that failed to commit does not hold queries up.
    private void awaitUncommitted() {
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
                if (writerConnection == null) {
                    writerConnection = database.connect(true);
                }
                insert(writerConnection, records, maxJsonBytes);
                failure = null;
                break;
            } catch (SQLException e) {
                failure = e;
                closeWriterConnection();
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

    private static int insert(Connection connection, List<ExecutionRecord> records, int maxJsonBytes)
            throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (ExecutionRecord record : records) {
                bind(statement, record, maxJsonBytes);
                statement.addBatch();
            }
            int inserted = 0;
            for (int count : statement.executeBatch()) {
                inserted += count == PreparedStatement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
            }
            connection.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is closed by the caller
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a broken connection: the caller closes it
            }
        }
    }

    // Input and output are serialized (and capped) here, on the writer's thread, not on the executing one.
    private static void bind(PreparedStatement statement, ExecutionRecord record, int maxJsonBytes)
            throws SQLException {
        statement.setString(1, record.id());
        statement.setLong(2, Micros.of(record.started()));
        statement.setString(3, record.skill());
        statement.setString(4, record.connection());
        statement.setString(5, record.caller());
        statement.setString(6, record.source());
        statement.setString(7, record.status());
        statement.setString(8, record.errorCode());
        statement.setLong(9, record.durationMs());
        statement.setString(10, text(Json.MAPPER.valueToTree(record.requestIds())));
        statement.setInt(11, record.requestsSent());
        statement.setLong(12, record.outputBytes());
        statement.setInt(13, record.dryRun() ? 1 : 0);
        statement.setString(14, CappedJson.capText(record.input(), maxJsonBytes));
        statement.setString(15, CappedJson.capText(record.output(), maxJsonBytes));
    }

    private static ExecutionRecord record(ResultSet rs, boolean withOutput) throws SQLException {
        List<String> requestIds = new ArrayList<>();
        json(rs.getString(11)).forEach(id -> requestIds.add(id.asText()));
        return new ExecutionRecord(rs.getString(2), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), Micros.instant(rs.getLong(3)), rs.getLong(10), rs.getString(8), rs.getString(9),
                requestIds, rs.getInt(12), rs.getLong(13), rs.getInt(14) != 0, json(rs.getString(15)),
                withOutput ? json(rs.getString(16)) : null);
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof String text) {
                statement.setString(i + 1, text);
            } else if (arg instanceof Long number) {
                statement.setLong(i + 1, number);
            } else if (arg instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setNull(i + 1, Types.VARCHAR);
            }
        }
    }

    private static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored record holds JSON that does not parse", e);
        }
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

    private void closeWriterConnection() {
        if (writerConnection != null) {
            try {
                writerConnection.close();
            } catch (SQLException ignored) {
                // replaced anyway
            }
            writerConnection = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Dialect dialect() {
        return database.dialect();
    }

    /** Writes what is queued, then stops the writer and closes the connections; later calls do nothing. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("execution records: the writer did not finish within 30 s; {} record(s) not written",
                    queue.size());
        }
        closeWriterConnection();
        database.close();
    }
}

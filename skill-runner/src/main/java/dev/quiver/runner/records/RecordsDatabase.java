package dev.quiver.runner.records;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The records database: how to connect to it (SQLite or PostgreSQL) and a few idle connections for queries. Plain
 * JDBC and a handful of statements: an ORM or a pool library would add start-up time and weight for one table.
 */
final class RecordsDatabase implements AutoCloseable {

    /** The SQL spoken: the two differ in identity columns, locking and a few pragmas. */
    enum Dialect { SQLITE, POSTGRES }

    private static final int IDLE_READERS = 8;

    private final String url;
    private final Dialect dialect;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(IDLE_READERS);
    private volatile boolean closed;

    RecordsDatabase(String url) {
        this.url = url;
        this.dialect = url.startsWith("jdbc:postgresql:") ? Dialect.POSTGRES : Dialect.SQLITE;
        if (dialect == Dialect.SQLITE) {
            createOwnerOnly(url.substring("jdbc:sqlite:".length()));
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** The URL as it may be logged: no user, no password. */
    String safeUrl() {
        return SafeUrl.of(url);
    }

    /**
     * A new connection in auto-commit mode. SQLite: WAL (readers never wait for the writer, several processes may
     * share the file), {@code synchronous=FULL} (a commit is on disk when it returns), a busy timeout (a writer of
     * another process holds the lock for milliseconds), and write transactions that take the lock when they begin
     * ({@code IMMEDIATE}) so that two writers never deadlock upgrading a read lock.
     */
    Connection connect() throws SQLException {
        return connect(false);
    }

    /** A new connection; {@code writer}: one that inserts (a larger SQLite page cache). */
    Connection connect(boolean writer) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(30_000);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            // A scope's 'acme-*' must not match 'ACME-x': SQLite's LIKE ignores ASCII case unless told otherwise.
            config.enableCaseSensitiveLike(true);
            // A writer gets 32 MiB of page cache (allocated as used, outside the heap) instead of 2: the table and
            // its indexes are written together, and a 2 MiB cache rereads index pages on every batch of a large
            // database. A reader reads one page of records through one index: 4 MiB, since there may be one per
            // concurrent query and the operating system caches the file anyway.
            config.setCacheSize(writer ? -32_768 : -4_096);
            return DriverManager.getConnection(url, config.toProperties());
        }
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "quiver");
        return DriverManager.getConnection(url, properties);
    }

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on an idle connection (or a new one), in auto-commit mode, and keeps the connection. */
    <T> T read(Work<T> work) throws SQLException {
        Connection connection = idle.poll();
        if (connection == null) {
            connection = connect();
        }
        boolean healthy = false;
        try {
            T result = work.run(connection);
            healthy = true;
            return result;
        } finally {
            if (healthy && !closed && connection.getAutoCommit() && idle.offer(connection)) {
                connection = null;
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.poll()) != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    // The database file is made owner-only before SQLite first opens it (an empty file is a new database); SQLite
    // gives its -wal and -shm files the database file's permissions.
    private static void createOwnerOnly(String file) {
        if (file.isBlank() || file.startsWith(":memory:") || file.startsWith("file:") || file.contains("?")) {
            return;
        }
        Path path = Path.of(file).toAbsolutePath();
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            if (!Files.exists(path)) {
                try {
                    Files.createFile(path, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(path);
                } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
                    // another process on this home made it first
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + path, e);
        }
    }
}

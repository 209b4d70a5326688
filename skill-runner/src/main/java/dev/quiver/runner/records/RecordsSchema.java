package dev.quiver.runner.records;

import dev.quiver.runner.records.RecordsDatabase.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The records' tables, versioned in a {@code schema_version} table of our own (a migration tool would cost more
 * start-up time than these few statements). Each migration runs once, in one transaction with its version row;
 * processes and nodes starting together take turns (SQLite's write lock, a PostgreSQL advisory lock).
 */
final class RecordsSchema {

    /** Any number of ours, constant: the advisory lock nodes take while migrating. */
    private static final long MIGRATION_LOCK = 0x5155_4956_4552L;

    private RecordsSchema() {
    }

    // One index per filter, and two for the combinations a viewer uses most (a skill's failures; a skill's failures
    // on one connection): each ends with seq, so a query whose filters are exactly an index's columns reads
    // limit + 1 entries in order. Other combinations walk the most selective of them and check the rest per entry
    // (still without sorting, and never holding more than a page). started_us serves time bounds and pruning.
    private static List<String> version1(Dialect dialect) {
        boolean pg = dialect == Dialect.POSTGRES;
        String seq = pg ? "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                : "seq INTEGER PRIMARY KEY AUTOINCREMENT";
        // SQLite ends every index with the rowid (= seq) already.
        String bySeq = pg ? ", seq)" : ")";
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE executions (" + seq + ", id TEXT NOT NULL UNIQUE, started_us BIGINT NOT NULL,"
                + " skill TEXT NOT NULL, connection TEXT, caller TEXT, source TEXT, status TEXT NOT NULL,"
                + " error_code TEXT, duration_ms BIGINT NOT NULL, request_ids TEXT NOT NULL,"
                + " requests_sent INTEGER NOT NULL, output_bytes BIGINT NOT NULL, dry_run INTEGER NOT NULL,"
                + " input TEXT, output TEXT)");
        sql.add("CREATE INDEX executions_started ON executions (started_us)");
        sql.add("CREATE INDEX executions_skill ON executions (skill" + bySeq);
        sql.add("CREATE INDEX executions_connection ON executions (connection" + bySeq);
        sql.add("CREATE INDEX executions_caller ON executions (caller" + bySeq);
        sql.add("CREATE INDEX executions_status ON executions (status" + bySeq);
        sql.add("CREATE INDEX executions_skill_status ON executions (skill, status" + bySeq);
        sql.add("CREATE INDEX executions_connection_skill_status ON executions (connection, skill, status" + bySeq);
        return sql;
    }

    /** The migrations in order; the n-th brings the schema to version n + 1. */
    private static List<List<String>> migrations(Dialect dialect) {
        return List.of(version1(dialect));
    }

    /** Brings the database to the newest version; returns the version it found. */
    static int migrate(Connection connection, Dialect dialect) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect == Dialect.POSTGRES) {
                statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL,"
                    + " applied_us BIGINT NOT NULL)");
            int found;
            try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                found = rs.getInt(1);
            }
            List<List<String>> migrations = migrations(dialect);
            if (found > migrations.size()) {
                throw new SQLException("the records database has schema version " + found + ", newer than this"
                        + " Quiver knows (" + migrations.size() + "): upgrade Quiver");
            }
            for (int version = found + 1; version <= migrations.size(); version++) {
                for (String sql : migrations.get(version - 1)) {
                    statement.execute(sql);
                }
                statement.execute("INSERT INTO schema_version (version, applied_us) VALUES (" + version + ", "
                        + Micros.now() + ")");
            }
            connection.commit();
            return found;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}

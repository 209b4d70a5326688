package dev.quiver.runner.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Records as rows of the {@code executions} table: the columns, the insert, and back. */
final class RecordRows {

    /** The columns a list returns, after {@code seq}; a single record adds {@code output}. */
    static final String COLUMNS = "id, started_us, skill, connection, caller, source, status, error_code,"
            + " duration_ms, request_ids, requests_sent, output_bytes, dry_run, input";
    private static final String INSERT = "INSERT INTO executions (" + COLUMNS + ", output) VALUES"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    private RecordRows() {
    }

    /**
     * Inserts {@code records} in one transaction on {@code connection}, skipping ids already stored; returns how many
     * were new.
     */
    static int insert(Connection connection, List<ExecutionRecord> records, int maxJsonBytes)
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

    static ExecutionRecord record(ResultSet rs, boolean withOutput) throws SQLException {
        List<String> requestIds = new ArrayList<>();
        json(rs.getString(11)).forEach(id -> requestIds.add(id.asText()));
        return new ExecutionRecord(rs.getString(2), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), Micros.instant(rs.getLong(3)), rs.getLong(10), rs.getString(8), rs.getString(9),
                requestIds, rs.getInt(12), rs.getLong(13), rs.getInt(14) != 0, json(rs.getString(15)),
                withOutput ? json(rs.getString(16)) : null);
    }

    static String text(JsonNode node) {
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
}

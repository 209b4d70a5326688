package dev.quiver.runner.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SQL of one page of records and its arguments; for a windowed query also the SQL that finds where its window
 * ends.
 *
 * @param sql        the page's query: at most {@code limit + 1} rows, newest first
 * @param args       its arguments
 * @param windowSql  for a windowed query, {@code MIN(seq)} and {@code COUNT(*)} of the window; else {@code null}
 * @param windowArgs that query's arguments
 */
record RecordSelect(String sql, List<Object> args, String windowSql, List<Object> windowArgs) {

    boolean windowed() {
        return windowSql != null;
    }

    /** The filter combinations an index matches exactly (see RecordsSchema). */
    private static final Set<String> EXACT = java.util.Set.of("", "skill", "status", "connection", "caller",
            "skill,status", "skill,status,connection");

    /** How many index entries a query whose filters no index matches exactly may examine for one page. */
    static final int SCAN_BUDGET = 5_000;

    // A query whose filters are exactly an index's columns walks that index in seq order and stops after limit + 1
    // entries. Any other (two filters no index pairs, a scope, time bounds) walks a window of at most SCAN_BUDGET
    // entries of the most selective single-column index and checks the other conditions in it: a sparse filter then
    // gets a short (even empty) page whose next_cursor continues below the window, instead of a scan of everything.
    static RecordSelect of(RecordQuery query, Long before) {
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
        String head = "SELECT seq, " + RecordRows.COLUMNS + " FROM executions WHERE 1 = 1";
        if (exact) {
            List<Object> all = new ArrayList<>(args);
            if (before != null) {
                all.add(before);
            }
            all.add(query.limit() + 1);
            return new RecordSelect(head + conditions + position + " ORDER BY seq DESC LIMIT ?", all, null, null);
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
        return new RecordSelect(head.replace("WHERE 1 = 1", "WHERE seq IN (" + window + ")") + conditions
                + " ORDER BY seq DESC LIMIT ?", all,
                "SELECT MIN(seq), COUNT(*) FROM (" + window + ") w", windowArgs);
    }

    // The cursor below a window that was full (more records may match further back), else null (all examined).
    String belowWindow(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(windowSql)) {
            bind(statement, windowArgs);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getLong(2) == SCAN_BUDGET ? RecordCursor.encode(rs.getLong(1)) : null;
            }
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
}

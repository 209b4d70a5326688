package dev.quiver.runner.records;

/**
 * Which records to return, newest first.
 *
 * @param skill      only this skill's, or {@code null}
 * @param status     only {@code succeeded} or {@code failed} ones, or {@code null}
 * @param connection only this connection's, or {@code null}
 * @param limit      at most this many (1 to {@link #MAX_LIMIT})
 * @param before     only records older than this position (a page's {@code next} cursor), or {@code null}
 */
public record RecordQuery(String skill, String status, String connection, int limit, Long before) {

    public static final int MAX_LIMIT = 1000;

    public RecordQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
    }

    boolean matches(ExecutionRecord record) {
        return (skill == null || skill.equals(record.skill()))
                && (status == null || status.equals(record.status()))
                && (connection == null || connection.equals(record.connection()));
    }
}

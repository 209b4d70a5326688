package dev.quiver.runner.records;

import dev.quiver.runner.access.ConnectionScope;

import java.time.Instant;
import java.util.Objects;

/**
 * Which records to return, newest first.
 *
 * @param skill      only this skill's, or {@code null}
 * @param status     only {@code succeeded} or {@code failed} ones, or {@code null}
 * @param connection only this connection's, or {@code null}
 * @param caller     only this caller's (an API key's id, or {@code cli}), or {@code null}
 * @param since      only those started at or after this, or {@code null}
 * @param until      only those started before this, or {@code null}
 * @param scope      only those of connections in this scope (the asking caller's)
 * @param limit      at most this many (1 to {@link #MAX_LIMIT})
 * @param cursor     only records after this position (a page's {@code next} cursor, unchanged), or {@code null}
 */
public record RecordQuery(String skill, String status, String connection, String caller, Instant since,
                          Instant until, ConnectionScope scope, int limit, String cursor) {

    public static final int MAX_LIMIT = 1000;

    public RecordQuery {
        Objects.requireNonNull(scope, "scope");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
        }
        if (status != null && !status.equals("succeeded") && !status.equals("failed")) {
            throw new IllegalArgumentException("status must be succeeded or failed");
        }
    }

    /** The newest {@code limit} records of every connection, unfiltered. */
    public static RecordQuery newest(int limit) {
        return new RecordQuery(null, null, null, null, null, null, ConnectionScope.all(), limit, null);
    }

    /** This query for the page after {@code cursor}. */
    public RecordQuery after(String cursor) {
        return new RecordQuery(skill, status, connection, caller, since, until, scope, limit, cursor);
    }

    /** This query limited to {@code scope}. */
    public RecordQuery within(ConnectionScope scope) {
        return new RecordQuery(skill, status, connection, caller, since, until, scope, limit, cursor);
    }
}

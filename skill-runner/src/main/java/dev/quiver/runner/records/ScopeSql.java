package dev.quiver.runner.records;

import dev.quiver.runner.access.ConnectionScope;

import java.util.List;

/**
 * A caller's connection scope as SQL: each id becomes {@code connection = ?}, each glob {@code connection LIKE ?
 * ESCAPE '\'} with {@code *} as {@code %} and LIKE's own {@code %}, {@code _} and {@code \} escaped.
 */
final class ScopeSql {

    private ScopeSql() {
    }

    static void append(ConnectionScope scope, StringBuilder sql, List<Object> args) {
        if (scope.unrestricted()) {
            return;
        }
        sql.append(" AND (");
        List<String> patterns = scope.patterns().orElseThrow();
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            sql.append(i == 0 ? "" : " OR ");
            if (pattern.indexOf('*') < 0) {
                sql.append("connection = ?");
                args.add(pattern);
            } else {
                sql.append("connection LIKE ? ESCAPE '\\'");
                args.add(like(pattern));
            }
        }
        sql.append(")");
    }

    static String like(String glob) {
        StringBuilder like = new StringBuilder(glob.length() + 4);
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}

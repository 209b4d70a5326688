package dev.quiver.runner.access;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connections a caller may use: every one, or those whose id matches one of a list of ids and glob patterns
 * ({@code acme-*}, where {@code *} stands for any run of characters). An MDR provider limits a customer's analysts
 * to that customer's connections with it; a connection outside the scope is treated as if it did not exist.
 *
 * @param patterns the ids and globs, or empty for every connection
 */
public record ConnectionScope(Optional<List<String>> patterns) {

    /** What a pattern may hold: a connection id's characters, and {@code *}. */
    public static final Pattern PATTERN = Pattern.compile("^[a-z0-9*][a-z0-9_.*-]{0,63}$");

    private static final ConnectionScope ALL = new ConnectionScope(Optional.empty());

    public ConnectionScope {
        patterns = patterns.map(List::copyOf);
        patterns.ifPresent(list -> list.forEach(p -> {
            if (!PATTERN.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + p + "' is not a connection id or glob (lower case, digits,"
                        + " '_', '.', '-', and '*' for any run of characters)");
            }
        }));
    }

    /** Every connection. */
    public static ConnectionScope all() {
        return ALL;
    }

    /** Only the connections matching one of {@code patterns}. */
    public static ConnectionScope of(List<String> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a limited scope names at least one connection id or glob");
        }
        return new ConnectionScope(Optional.of(patterns));
    }

    /** Whether every connection is in scope. */
    public boolean unrestricted() {
        return patterns.isEmpty();
    }

    /** Whether the connection with id {@code connectionId} is in scope. */
    public boolean allows(String connectionId) {
        if (patterns.isEmpty()) {
            return true;
        }
        if (connectionId == null) {
            return false;
        }
        for (String pattern : patterns.get()) {
            if (glob(pattern, connectionId)) {
                return true;
            }
        }
        return false;
    }

    // '*' only: connection ids have no other metacharacter to escape, so no regex is compiled per check.
    static boolean glob(String pattern, String id) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < id.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == id.charAt(i)) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}

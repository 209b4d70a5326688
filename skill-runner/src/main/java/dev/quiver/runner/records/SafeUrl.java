package dev.quiver.runner.records;

/**
 * A JDBC URL as it may be logged or printed: the scheme, host, port and database, never the user, the password or
 * any query parameter (a PostgreSQL URL may carry {@code ?user=…&password=…} or {@code user:password@}).
 */
final class SafeUrl {

    private SafeUrl() {
    }

    static String of(String url) {
        if (url == null) {
            return null;
        }
        String safe = url;
        int query = safe.indexOf('?');
        if (query >= 0) {
            safe = safe.substring(0, query);
        }
        int semicolon = safe.indexOf(';');
        if (semicolon >= 0) {
            safe = safe.substring(0, semicolon);
        }
        int slashes = safe.indexOf("//");
        if (slashes >= 0) {
            int hostEnd = safe.indexOf('/', slashes + 2);
            String authority = hostEnd < 0 ? safe.substring(slashes + 2) : safe.substring(slashes + 2, hostEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                safe = safe.substring(0, slashes + 2) + authority.substring(at + 1)
                        + (hostEnd < 0 ? "" : safe.substring(hostEnd));
            }
        }
        return safe;
    }
}

package dev.quiver.cloudflare.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** A query string built parameter by parameter; absent values are skipped. Not thread-safe. */
public final class Query {

    private final StringJoiner params = new StringJoiner("&");

    /** Adds {@code name=value} when value is not null. */
    public Query add(String name, Object value) {
        if (value != null) {
            params.add(encode(name) + "=" + encode(String.valueOf(value)));
        }
        return this;
    }

    /** {@code path?query}, or path alone when no parameter was added. */
    public String appendTo(String path) {
        String query = params.toString();
        return query.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + query;
    }

    /** A path segment, encoded (ids from input never reshape the path). */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

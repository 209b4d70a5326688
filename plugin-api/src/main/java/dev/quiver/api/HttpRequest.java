package dev.quiver.api;

import java.util.Map;
import java.util.Objects;

/**
 * One request to the connection's API.
 *
 * @param method      the HTTP method, upper case
 * @param path        the path and query relative to the connection's base URL ({@code /zones?page=2}); query values
 *                    already encoded
 * @param headers     extra headers; the credential's are added by the transport and may not be set here
 * @param body        the body, or {@code null}
 * @param contentType the body's media type, or {@code null} without a body
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body, String contentType) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
    }

    /** A GET of {@code path}. */
    public static HttpRequest get(String path) {
        return new HttpRequest("GET", path, Map.of(), null, null);
    }

    /** A request with a JSON body. */
    public static HttpRequest json(String method, String path, byte[] body) {
        return new HttpRequest(method, path, Map.of(), body, "application/json");
    }

    /** Whether repeating this request after an ambiguous failure is harmless (RFC 9110 idempotent methods). */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}

package dev.quiver.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One request to the connection's API. Immutable: the body is copied in and {@link #body()} returns a copy.
 *
 * @param method      the HTTP method, upper case
 * @param path        the path and query relative to the connection's base URL ({@code /items?page=2}); query values
 *                    already encoded
 * @param headers     extra headers; the credential's are added by the transport and may not be set here
 * @param body        the body, or {@code null}
 * @param contentType the body's media type, or {@code null} without a body
 * @since 1.0
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body, String contentType) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        body = body == null ? null : body.clone();
    }

    /** A GET of {@code path}. */
    public static HttpRequest get(String path) {
        return new HttpRequest("GET", path, Map.of(), null, null);
    }

    /** A request with a JSON body. */
    public static HttpRequest json(String method, String path, byte[] body) {
        return new HttpRequest(method, path, Map.of(), body, "application/json");
    }

    /** A request with a JSON body given as text (UTF-8). */
    public static HttpRequest json(String method, String path, String body) {
        return json(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the body, or {@code null}. */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The body's length in bytes, 0 without one. */
    public int bodyLength() {
        return body == null ? 0 : body.length;
    }

    /** Whether repeating this request after an ambiguous failure is harmless (RFC 9110 idempotent methods). */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpRequest r && method.equals(r.method) && path.equals(r.path)
                && headers.equals(r.headers) && Arrays.equals(body, r.body) && Objects.equals(contentType, r.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, headers, Arrays.hashCode(body), contentType);
    }

    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + path + ", " + bodyLength() + " body bytes]";
    }
}

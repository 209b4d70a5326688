package dev.quiver.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One response from the connection's API, read whole. Immutable: the body is copied in and {@link #body()} returns
 * a copy ({@link #bodyText()} reads it without one).
 *
 * @param status  the HTTP status
 * @param headers the headers, names in lower case
 * @param body    the body, empty when there was none
 * @since 1.0
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** The first value of a header (name matched case-insensitively), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Reads the body as a stream, without copying it. */
    public java.io.InputStream bodyStream() {
        return new java.io.ByteArrayInputStream(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r && status == r.status && headers.equals(r.headers)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + body.length + " body bytes]";
    }
}

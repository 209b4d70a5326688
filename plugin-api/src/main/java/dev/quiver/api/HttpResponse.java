package dev.quiver.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One response from the connection's API, read whole.
 *
 * @param status  the HTTP status
 * @param headers the headers, names in lower case
 * @param body    the body, empty when there was none
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header (name matched case-insensitively), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

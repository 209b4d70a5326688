package dev.quiver.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One way a connection of a {@link ConnectionType} may authenticate, and how the credential is sent. The runner
 * validates a connection's {@code auth} object against it, keeps every field as a secret and builds the headers
 * itself, so that plugin code never handles a secret.
 *
 * @param name           the connection's {@code auth.method} value ({@code api_token}); {@code [a-z][a-z0-9_]*}
 * @param fields         the {@code auth} fields the method requires ({@code token})
 * @param optionalFields the {@code auth} fields it also accepts (an OAuth refresh token, say); any other field is
 *                       refused
 * @param headers        request headers to send, each value a template over the fields: {@code {field}} is replaced
 *                       by the field's value ({@code "Authorization": "Bearer {token}"}, or a custom header such as
 *                       {@code "X-Api-Key": "{key}"}). A template may only name required fields.
 * @since 1.0
 */
public record AuthMethod(String name, List<String> fields, List<String> optionalFields, Map<String, String> headers) {

    public AuthMethod {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        optionalFields = List.copyOf(optionalFields);
        headers = Map.copyOf(headers);
    }

    /** A method with required fields only. */
    public AuthMethod(String name, List<String> fields, Map<String, String> headers) {
        this(name, fields, List.of(), headers);
    }
}

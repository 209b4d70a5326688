package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.gate.AuthHeaders;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.internal.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.quiver.runner.failure.Failure;

/**
 * Removes a connection's secret values from everything of an execution that leaves the runner: a failure, and the
 * output and warnings of a success. A last line of defence: nothing should put a secret there, but a vendor may
 * echo a request's headers back, in an error or in a 2xx body alike.
 *
 * <p>The secrets are every credential value and every header value the auth method makes of them ({@code Bearer
 * <token>}, the Global API key and email headers), longest first, so a header is masked whole.
 */
final class Redactor {

    static final String MASK = "[redacted]";
    /** Shorter values (an "x" in a test) would mask ordinary words. */
    private static final int MIN_SECRET_LENGTH = 6;
    private static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor of {@code connection}'s secrets as {@code type} sends them; {@code null}s redact nothing more. */
    static Redactor of(Connection connection, ConnectionType type) {
        return of(type, connection);
    }

    /**
     * A redactor of the secrets of every one of {@code connections} ({@code null}s skipped): an execution whose
     * credential was renewed after a 401 used two.
     */
    static Redactor of(ConnectionType type, Connection... connections) {
        Set<String> secrets = new LinkedHashSet<>();
        for (Connection connection : connections) {
            if (connection != null) {
                secrets.addAll(secretsOf(connection, type));
            }
        }
        return secrets.isEmpty() ? NONE : new Redactor(secrets.stream().filter(v -> v.length() >= MIN_SECRET_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    private static Set<String> secretsOf(Connection connection, ConnectionType type) {
        Set<String> secrets = new LinkedHashSet<>(connection.credential().values().values());
        if (type != null) {
            for (AuthMethod method : type.authMethods()) {
                if (method.name().equals(connection.credential().method())) {
                    try {
                        secrets.addAll(AuthHeaders.resolve(method, connection.credential().values()).values());
                    } catch (IllegalArgumentException incomplete) {
                        // the transport refuses such a credential: no header was sent, the raw values suffice
                    }
                }
            }
        }
        return secrets;
    }

    String text(String value) {
        if (value == null) {
            return null;
        }
        String out = value;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /**
     * {@code json} with every secret masked in its strings and its keys. When none holds a secret (nearly always)
     * it is returned as it is: the walk reads every string once and copies nothing.
     */
    JsonNode json(JsonNode json) {
        if (json == null || secrets.isEmpty() || !holdsSecret(json)) {
            return json;
        }
        return redacted(json);
    }

    Failure failure(Failure failure) {
        if (secrets.isEmpty()) {
            return failure;
        }
        List<Map<String, Object>> details = new ArrayList<>();
        for (Map<String, Object> detail : failure.details()) {
            Map<String, Object> clean = new LinkedHashMap<>();
            detail.forEach((k, v) -> clean.put(k, v instanceof String s ? text(s) : v));
            details.add(clean);
        }
        return new Failure(failure.code(), text(failure.message()), details, text(failure.remediation()),
                failure.missing(), failure.detailsTotal());
    }

    private boolean holdsSecret(String text) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsSecret(JsonNode node) {
        if (node.isTextual()) {
            return holdsSecret(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (holdsSecret(field.getKey()) || holdsSecret(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (holdsSecret(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode redacted(JsonNode node) {
        if (node.isTextual()) {
            return holdsSecret(node.textValue()) ? TextNode.valueOf(text(node.textValue())) : node;
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = text(field.getKey());
                // Two keys masked alike must not overwrite each other: the second keeps a number.
                String unique = key;
                for (int n = 2; copy.has(unique); n++) {
                    unique = key + " " + n;
                }
                copy.set(unique, redacted(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(item -> copy.add(redacted(item)));
            return copy;
        }
        return node;
    }
}

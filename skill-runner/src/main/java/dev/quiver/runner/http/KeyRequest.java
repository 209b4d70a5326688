package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.KeyExpiry;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/keys}: {@code {"role", "connections"?: [id or glob, ...], "expires"?: "30d" |
 * RFC 3339}}. Read by {@link StrictBodyReader}, then checked here; anything else is refused with a 400.
 *
 * @param role        the key's role
 * @param connections the ids and globs of the connections the key reaches, or null for every connection (checked:
 *                    {@link #scope()} is their scope)
 * @param expiresAt   when the key stops working, or {@code null} for never
 */
@Schema(name = "KeyRequest", description = "The key to create")
public record KeyRequest(
        // implementation: the JSON's shape, not the Java type's (an enum)
        @Schema(implementation = String.class, type = "string", allowableValues = {"viewer", "analyst", "responder", "admin"},
                requiredMode = Schema.RequiredMode.REQUIRED) Role role,
        @Nullable @ArraySchema(arraySchema = @Schema(description = "Connection ids or globs such as acme-*;"
                + " absent: every connection"), schema = @Schema(type = "string", example = "acme-*"), minItems = 1)
        List<String> connections,
        @Schema(name = "expires", type = "string", description = "30d, 12h or an RFC 3339 time") Instant expiresAt) {

    private static final Set<String> FIELDS = Set.of("role", "connections", "expires");

    public KeyRequest {
        Objects.requireNonNull(role);
        connections = connections == null ? null : List.copyOf(connections);
        scope(connections); // refuses patterns that are no scope
    }

    /** The connections the key reaches. */
    ConnectionScope scope() {
        return scope(connections);
    }

    private static ConnectionScope scope(List<String> connections) {
        return connections == null ? ConnectionScope.all() : ConnectionScope.of(connections);
    }

    static KeyRequest from(JsonNode json) {
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field(s) " + unknown + "; a key request has role, connections and"
                    + " expires", null);
        }
        Role role = Role.parse(json.path("role").asText("")).orElseThrow(() -> ApiException.badRequest(
                "role must be viewer, analyst, responder or admin", null));
        try {
            List<String> connections = json.has("connections") ? strings(json.get("connections")) : null;
            Instant expiresAt = json.hasNonNull("expires")
                    ? KeyExpiry.parse(json.get("expires").asText(), Instant.now()) : null;
            return new KeyRequest(role, connections, expiresAt);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, Failure.of(ErrorCode.INVALID_INPUT, e.getMessage(),
                    "connections: an array of ids or globs such as [\"acme-*\"]; expires: 30d, 12h or an RFC 3339"
                            + " time."));
        }
    }

    private static List<String> strings(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("connections must be an array of connection ids or globs");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("connections must hold strings only");
            }
            values.add(item.asText());
        }
        return values;
    }
}

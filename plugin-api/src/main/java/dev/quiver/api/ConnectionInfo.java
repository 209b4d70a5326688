package dev.quiver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.Objects;

/**
 * The non-secret view of a connection that a skill runs on. Its settings are the connection's fields beyond
 * {@code id}, {@code type}, {@code auth}, {@code permissions} and {@code base_url}, already valid against
 * {@link ConnectionType#settingsSchema()}.
 *
 * @param id                    the connection's id ({@code acme-prod})
 * @param type                  its {@link ConnectionType#id()}
 * @param authMethod            the {@link AuthMethod#name()} it authenticates with
 * @param settings              the type's settings (a JSON object; a copy is returned, never the runner's)
 * @param credentialFingerprint a stable, non-reversible id of the credential (not the secret), for keying
 *                              per-credential state such as rate pacing
 * @since 1.0
 */
public record ConnectionInfo(String id, String type, String authMethod, JsonNode settings,
                             String credentialFingerprint) {

    public ConnectionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /** A copy of the settings object. */
    @Override
    public JsonNode settings() {
        return settings.deepCopy();
    }

    /** The text of a string setting, or {@code null} when it is absent, not a string, or empty. */
    public String setting(String name) {
        JsonNode value = settings.get(name);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}

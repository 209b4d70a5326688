package dev.quiver.runner.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.runner.internal.Json;

import java.util.List;

/**
 * A connection with its secrets resolved. Only {@link #credential()} holds secrets.
 *
 * @param id          the connection id
 * @param type        the connection type's id
 * @param credential  the resolved credential
 * @param settings    the type's settings: every field but id, type, auth, permissions and base_url (no secret)
 * @param permissions the permissions the credential holds, or {@code null} when unknown
 * @param baseUrl     the API base URL, or {@code null} for the type's default
 */
public record Connection(String id, String type, Credential credential, ObjectNode settings,
                         List<String> permissions, String baseUrl) {

    public Connection {
        permissions = permissions == null ? null : List.copyOf(permissions);
        settings = settings == null ? Json.MAPPER.createObjectNode() : settings.deepCopy();
    }

    /** A copy of the settings. */
    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /** One setting, or a missing node. */
    public JsonNode setting(String name) {
        return settings.path(name);
    }

    /** The same connection judged with other permissions. */
    public Connection withPermissions(List<String> held) {
        return new Connection(id, type, credential, settings, held, baseUrl);
    }

    /** What the permission gate may know of it: no secret. */
    public dev.quiver.gate.Holder holder() {
        return new dev.quiver.gate.Holder(id, credential.method(), permissions, settings);
    }

    /** The non-secret view handed to plugins. */
    public ConnectionInfo info() {
        return new ConnectionInfo(id, type, credential.method(), settings, credential.fingerprint());
    }
}

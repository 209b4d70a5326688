package dev.quiver.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/**
 * What the gate knows of a connection: no secret, only what it holds and where it may aim.
 *
 * @param connectionId the connection's id, for messages
 * @param authMethod   its auth method (some hold every permission of their owner)
 * @param permissions  the permissions it lists, or {@code null} when unknown
 * @param settings     its type's settings (the limit and default settings of its resource kinds)
 */
public record Holder(String connectionId, String authMethod, List<String> permissions, JsonNode settings) {

    public Holder {
        permissions = permissions == null ? null : List.copyOf(permissions);
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /** One setting, or a missing node. */
    public JsonNode setting(String name) {
        return settings.path(name);
    }
}

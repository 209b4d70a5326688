package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.schema.JsonSchemas;

import java.util.List;
import java.util.Optional;

/**
 * A tool's input schema: the skill's own, plus the arguments the MCP adapter takes out before the pipeline sees the
 * input ({@code connection} when the server is not bound to one, {@code dry_run} on write skills).
 */
final class ToolSchemas {

    /** The argument naming the connection, when the server is not bound to one. */
    static final String CONNECTION = "connection";
    /** The argument asking a write skill for a preview. */
    static final String DRY_RUN = "dry_run";

    private ToolSchemas() {
    }

    /**
     * The tool's input schema, or empty when the skill's own input already has a property of one of the adapter's
     * names (it could not be told apart).
     *
     * @param connections the connection ids to list, or empty when the server is bound to one
     * @param write       whether to add {@code dry_run}
     * @param idempotencyKey the JSON pointer of the idempotency key the tool requires, or {@code null}
     */
    static Optional<ObjectNode> input(JsonNode skillSchema, Optional<List<String>> connections, boolean write,
                                      String idempotencyKey) {
        ObjectNode schema = withoutDialect(skillSchema);
        ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties")
                : schema.putObject("properties");
        if (connections.isPresent() && properties.has(CONNECTION) || write && properties.has(DRY_RUN)) {
            return Optional.empty();
        }
        if (connections.isPresent()) {
            ObjectNode connection = properties.putObject(CONNECTION);
            connection.put("type", "string");
            if (connections.get().isEmpty()) {
                connection.put("description", "The stored connection to run on. This key may use none.");
            } else {
                connection.put("description", "The stored connection to run on: one this key may use.");
                connections.get().forEach(connection.putArray("enum")::add);
            }
            required(schema).add(CONNECTION);
        }
        if (write) {
            properties.putObject(DRY_RUN).put("type", "boolean").put("default", false).put("description",
                    "true: write nothing, return the request it would send (a preview). Without it the write needs"
                            + " the person's confirmation, or a server started to allow writes.");
        }
        if (idempotencyKey != null) {
            requirePointer(schema, idempotencyKey);
        }
        return Optional.of(schema);
    }

    /** The skill's output schema as a tool's {@code outputSchema}. */
    static ObjectNode output(JsonNode skillSchema) {
        return withoutDialect(skillSchema);
    }

    // MCP's default dialect is 2020-12, the skills' own: $schema adds nothing, and some clients' validators (Ajv's
    // default draft) refuse a 2020-12 $schema they were not built with. $id would make $refs resolve against the
    // plugin's URL; the skills' schemas are self-contained.
    private static ObjectNode withoutDialect(JsonNode schema) {
        ObjectNode copy = (ObjectNode) schema.deepCopy();
        copy.remove("$schema");
        copy.remove("$id");
        // Quiver's own declarations: the tool's annotations say them in MCP's words.
        copy.remove(JsonSchemas.DESTRUCTIVE);
        copy.remove(JsonSchemas.IDEMPOTENCY_KEY);
        return copy;
    }

    private static ArrayNode required(ObjectNode schema) {
        return schema.has("required") ? (ArrayNode) schema.get("required") : schema.putArray("required");
    }

    // "/rule/ref": properties.rule must require "ref". A pointer that does not lead through "properties" is left
    // alone: the key is then what the skill's schema says it is.
    private static void requirePointer(ObjectNode schema, String pointer) {
        String[] steps = pointer.substring(1).split("/");
        ObjectNode at = schema;
        for (int i = 0; i < steps.length - 1; i++) {
            JsonNode next = at.path("properties").path(steps[i]);
            if (!next.isObject()) {
                return;
            }
            at = (ObjectNode) next;
        }
        String last = steps[steps.length - 1];
        if (!at.path("properties").has(last)) {
            return;
        }
        ArrayNode required = required(at);
        for (JsonNode name : required) {
            if (name.asText().equals(last)) {
                return;
            }
        }
        required.add(last);
    }
}

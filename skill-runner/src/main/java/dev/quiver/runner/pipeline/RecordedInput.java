package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quiver.runner.internal.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * The part of an input an execution record may keep, decided by the skill's input schema. Numbers, booleans and
 * strings the schema pins down (an {@code enum}, a {@code const}, a {@code pattern} or a {@code format}: ids,
 * phases, times, addresses) are kept; free text, anything marked {@code writeOnly} and anything the schema does not
 * describe are replaced by {@code "[redacted: N chars]"}, since free text is where a caller pastes a secret.
 */
public final class RecordedInput {

    private RecordedInput() {
    }

    /** {@code input} with everything the schema does not pin down redacted. */
    public static JsonNode of(JsonNode input, JsonNode schema) {
        return keep(input, schema, schema, 0);
    }

    private static JsonNode keep(JsonNode value, JsonNode schema, JsonNode root, int depth) {
        JsonNode resolved = resolve(schema, root);
        if (resolved == null || depth > 32 || resolved.path("writeOnly").asBoolean(false)) {
            return redacted(value);
        }
        if (value.isObject()) {
            ObjectNode kept = Json.MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                kept.set(field.getKey(), keep(field.getValue(), propertySchema(resolved, field.getKey()), root,
                        depth + 1));
            }
            return kept;
        }
        if (value.isArray()) {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            value.forEach(item -> kept.add(keep(item, resolved.get("items"), root, depth + 1)));
            return kept;
        }
        if (value.isTextual()) {
            return pinned(resolved, root) ? value : redacted(value);
        }
        return value;
    }

    private static JsonNode propertySchema(JsonNode schema, String name) {
        JsonNode declared = schema.path("properties").get(name);
        if (declared != null) {
            return declared;
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    private static boolean pinned(JsonNode schema, JsonNode root) {
        if (schema.has("enum") || schema.has("const") || schema.has("pattern") || schema.has("format")) {
            return true;
        }
        for (JsonNode part : schema.path("allOf")) {
            JsonNode resolved = resolve(part, root);
            if (resolved != null && pinned(resolved, root)) {
                return true;
            }
        }
        return false;
    }

    // Local references only ("#/$defs/x"): the catalogue's schemas are self-contained.
    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        JsonNode current = schema;
        for (int hops = 0; current != null && current.has("$ref") && hops < 8; hops++) {
            String ref = current.get("$ref").asText();
            current = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
            if (current != null && current.isMissingNode()) {
                current = null;
            }
        }
        return current != null && current.isObject() ? current : null;
    }

    private static JsonNode redacted(JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf("[redacted: " + value.asText().length() + " chars]");
        }
        if (value.isNumber() || value.isBoolean() || value.isNull()) {
            return value;
        }
        return TextNode.valueOf("[redacted: " + (value.isObject() ? "object" : "array") + "]");
    }
}

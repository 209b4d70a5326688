package dev.quiver.cloudflare.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates, from a seed, JSON values that a schema of the spec admits and nothing more: optional properties come
 * and go, numbers without a stated minimum may be negative, nullable values may be null, every {@code oneOf} /
 * {@code anyOf} branch can be chosen. What a skill may rely on is exactly what is left: required properties, types,
 * enums and stated bounds.
 */
public final class SpecValidAnswers {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 9;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final OpenApiSubset spec;
    private final Random random;

    public SpecValidAnswers(OpenApiSubset spec, long seed) {
        this.spec = spec;
        this.random = new Random(seed);
    }

    public synchronized JsonNode generate(JsonNode schema) {
        return value(schema, 0);
    }

    private JsonNode value(JsonNode raw, int depth) {
        JsonNode schema = spec.flatten(raw);
        for (String choice : new String[]{"oneOf", "anyOf"}) {
            if (schema.has(choice) && schema.get(choice).size() > 0) {
                JsonNode branches = schema.get(choice);
                ObjectNode rest = ((ObjectNode) schema).deepCopy();
                rest.remove(choice);
                ObjectNode combined = NODES.objectNode();
                combined.putArray("allOf").add(rest).add(branches.get(random.nextInt(branches.size())));
                return value(combined, depth);
            }
        }
        if (schema.path("nullable").asBoolean(false) && random.nextInt(8) == 0) {
            return NODES.nullNode();
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size())).deepCopy();
        }
        String type = type(schema);
        return switch (type) {
            case "null" -> NODES.nullNode();
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "integer" -> NODES.numberNode(integer(schema));
            case "number" -> NODES.numberNode(integer(schema) + random.nextInt(100) / 100.0);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "string" -> NODES.textNode(string(schema));
            default -> anything(depth);
        };
    }

    private String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isArray() && type.size() > 0) {
            return type.get(random.nextInt(type.size())).asText();
        }
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "any";
    }

    private JsonNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        java.util.Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            boolean include = required.contains(field.getKey()) || (depth < MAX_DEPTH && random.nextBoolean());
            if (include) {
                object.set(field.getKey(), value(field.getValue(), depth + 1));
            }
        }
        for (String name : required) {
            if (!object.has(name)) {
                object.set(name, anything(depth + 1));
            }
        }
        return object;
    }

    private JsonNode array(JsonNode schema, int depth) {
        ArrayNode array = NODES.arrayNode();
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : min + 3;
        int count = depth >= MAX_DEPTH ? min : min + random.nextInt(Math.max(1, Math.min(max, min + 3) - min + 1));
        JsonNode items = schema.path("items");
        for (int i = 0; i < count; i++) {
            array.add(value(items, depth + 1));
        }
        return array;
    }

    /** Within stated bounds; without a minimum, negative values are spec-valid and therefore generated. */
    private long integer(JsonNode schema) {
        long min = schema.has("minimum") ? (long) Math.ceil(schema.get("minimum").asDouble()) : -1000;
        if (schema.path("exclusiveMinimum").isNumber()) {
            min = (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1;
        } else if (schema.path("exclusiveMinimum").asBoolean(false)) {
            min++;
        }
        long max = schema.has("maximum") ? (long) Math.floor(schema.get("maximum").asDouble()) : min + 100_000;
        if (max < min) {
            return min;
        }
        return min + (long) (random.nextDouble() * (Math.min(max - min, 1_000_000) + 1));
    }

    private String string(JsonNode schema) {
        switch (schema.path("format").asText("")) {
            case "date-time":
                return Instant.ofEpochSecond(1_600_000_000L + random.nextInt(200_000_000)).toString();
            case "date":
                return Instant.ofEpochSecond(1_600_000_000L + random.nextInt(200_000_000)).toString()
                        .substring(0, 10);
            case "email":
                return word(6) + "@example.com";
            case "ipv4":
                return random.nextInt(224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
            case "ipv6":
                return "2001:db8::" + Integer.toHexString(random.nextInt(65536));
            case "uri":
                return "https://" + word(8) + ".example.com/" + word(4);
            case "uuid":
                return new UUID(random.nextLong(), random.nextLong()).toString();
            default:
                break;
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : min + 32;
        int length = min + random.nextInt(Math.max(1, Math.min(max, min + 32) - min + 1));
        return word(length);
    }

    private JsonNode anything(int depth) {
        return switch (random.nextInt(depth >= MAX_DEPTH ? 3 : 5)) {
            case 0 -> NODES.textNode(word(8));
            case 1 -> NODES.numberNode(random.nextInt(2001) - 1000);
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            default -> NODES.objectNode().put(word(5), word(5));
        };
    }

    private String word(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}

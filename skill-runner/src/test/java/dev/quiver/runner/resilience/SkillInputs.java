package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates skill inputs from a seeded {@link Random}, so a failing input can be made again from its seed:
 * arbitrary JSON, and near-valid objects built from a skill's input schema (each declared field set to a plausible,
 * borderline or wrong value).
 */
final class SkillInputs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] KEYS = {"zone_id", "account_id", "limit", "rule", "since", "cursor", "phase", "name"};
    private static final String[] TIMES = {"2026-01-01T00:00:00Z", "2026-01-01", "2026-13-40T99:00:00Z", "yesterday",
            "2025-06-30T23:59:60Z", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00+02:00"};
    private static final String[] UNDECLARED = {"token", "api_key", "zoneId", "ACCOUNT_ID", "", " ", "$ref",
            "__proto__"};

    private final Random random;
    private final String accountId;
    private final String zoneId;

    SkillInputs(Random random, String accountId, String zoneId) {
        this.random = random;
        this.accountId = accountId;
        this.zoneId = zoneId;
    }

    /** Any JSON value, objects and arrays nested up to {@code depth}. */
    JsonNode anyJson(int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(6);
        if (kind <= 1) {
            return leaf();
        }
        if (kind == 2) {
            ArrayNode array = NODES.arrayNode();
            for (int i = random.nextInt(5); i > 0; i--) {
                array.add(anyJson(depth - 1));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
            object.set(random.nextBoolean() ? pick(KEYS) : text(8), anyJson(depth - 1));
        }
        return object;
    }

    /** A name no Cloudflare skill declares. */
    String undeclaredName() {
        return random.nextBoolean() ? pick(UNDECLARED) : "x_" + text(10);
    }

    /** An object with a random subset of the schema's declared properties, required ones mostly present. */
    ObjectNode nearValid(JsonNode schema, JsonNode root) {
        ObjectNode object = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        schema.path("properties").fields().forEachRemaining(field -> {
            boolean include = required.contains(field.getKey()) ? random.nextInt(10) > 0 : random.nextInt(3) == 0;
            if (include) {
                object.set(field.getKey(), value(field.getKey(), resolve(field.getValue(), root), root));
            }
        });
        return object;
    }

    /** Mostly what the schema allows, sometimes its edges, sometimes anything. */
    private JsonNode value(String name, JsonNode schema, JsonNode root) {
        int roll = random.nextInt(16);
        return roll == 0 ? leaf() : roll == 1 ? anyJson(2) : plausible(name, schema, root);
    }

    private JsonNode plausible(String name, JsonNode schema, JsonNode root) {
        if (schema.has("enum")) {
            JsonNode members = schema.get("enum");
            return random.nextInt(members.size() + 1) < members.size()
                    ? members.get(random.nextInt(members.size())) : NODES.textNode("not_a_member");
        }
        if (schema.has("oneOf")) {
            JsonNode options = schema.get("oneOf");
            return plausible(name, resolve(options.get(random.nextInt(options.size())), root), root);
        }
        JsonNode type = schema.path("type");
        switch (type.isArray() ? type.get(0).asText() : type.asText()) {
            case "integer":
                return integer(schema);
            case "boolean":
                return random.nextInt(8) == 0 ? NODES.textNode("true") : NODES.booleanNode(random.nextBoolean());
            case "object":
                return nearValid(schema, root);
            case "array":
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(plausible(name, resolve(schema.path("items"), root), root));
                }
                return array;
            default:
                return NODES.textNode(plausibleText(name));
        }
    }

    private JsonNode integer(JsonNode schema) {
        int roll = random.nextInt(10);
        if (roll < 7) {
            int min = schema.path("minimum").asInt(0);
            int max = Math.min(schema.path("maximum").asInt(1000), 2000);
            return NODES.numberNode(min + random.nextInt(Math.max(1, max - min + 1)));
        }
        if (roll < 9) {
            int[] edges = {-1, 0, 1, 2, 5000, 10_000, 10_001, Integer.MAX_VALUE};
            return NODES.numberNode(edges[random.nextInt(edges.length)]);
        }
        double[] odd = {1.5, 1e20, -0.0};
        return NODES.numberNode(odd[random.nextInt(odd.length)]);
    }

    /** Strings as an analyst might send them, by the field's name, with near misses. */
    private String plausibleText(String name) {
        String hex31 = zoneId.substring(1);
        return switch (name) {
            case "account_id" -> pick(accountId, accountId.toUpperCase(), "0".repeat(32), hex31);
            case "zone_id", "ruleset_id", "after" -> pick(zoneId, "f".repeat(32), hex31, "", zoneId + "0");
            case "since", "before" -> pick(TIMES);
            case "actor_email" -> pick("mallory@example.com", "alice@example.com", "not-an-email", "a@b",
                    "MALLORY@EXAMPLE.COM");
            case "actor_ip" -> pick("203.0.113.66", "198.51.100.0/24", "2001:db8::1", "999.1.1.1", "10.0.0.0/33", "::");
            case "cursor", "checkpoint" -> random.nextBoolean() ? pick("eyJ9", "%%%", "a".repeat(999)) : text(60);
            case "expression" -> pick("ip.src eq 198.51.100.7", "http.host eq \"example.com\"", "not ((",
                    "x".repeat(4097));
            case "ref" -> pick("quiver-block-1", "has space", "a".repeat(101), "ok.ref:1");
            default -> random.nextBoolean() ? pick("example.com", "mallory", "", "${env:HOME}", "*") : text(30);
        };
    }

    private JsonNode leaf() {
        return switch (random.nextInt(5)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            default -> NODES.textNode(text(40));
        };
    }

    /** Up to {@code max} characters: ASCII, controls, accents, CJK, emoji halves included. */
    private String text(int max) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            text.append(switch (random.nextInt(6)) {
                case 0 -> (char) random.nextInt(32);
                case 1 -> (char) (0x00C0 + random.nextInt(64));
                case 2 -> (char) (0x4E00 + random.nextInt(500));
                case 3 -> (char) (0xD800 + random.nextInt(0x800));
                default -> (char) (32 + random.nextInt(95));
            });
        }
        return text.toString();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        String ref = schema.path("$ref").asText(null);
        if (ref != null && ref.startsWith("#/")) {
            return root.at(ref.substring(1));
        }
        JsonNode anyOf = schema.path("anyOf");
        return schema.has("type") || !anyOf.isArray() || anyOf.isEmpty() ? schema : anyOf.get(0);
    }
}

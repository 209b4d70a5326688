package dev.quiver.cloudflare.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Cloudflare API subset (a copy of {@code shared/cloudflare-api/openapi-subset.json} in the test resources, so a
 * fresh clone tests alone): finds the operation a request addresses and says where the request breaks the spec —
 * an unknown path or method, a query parameter the operation does not declare, a value of the wrong type or outside
 * its enum or bounds, a required query parameter missing.
 */
public final class OpenApiSubset {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE_PATH = "/client/v4";

    /**
     * Query parameters Cloudflare's current API reference documents on operations whose 2024 spec (the subset)
     * declares none: accepted as declared, each with its source, and nothing else is.
     */
    private static final Map<String, List<String>> CURRENT_REFERENCE = Map.of(
            // docs: /api/resources/zero_trust/subresources/access/subresources/applications/methods/list/ (FACTS §9)
            "/accounts/{account_id}/access/apps",
            List.of("name", "domain", "aud", "search", "exact", "target_attributes", "page", "per_page"),
            "/zones/{zone_id}/access/apps",
            List.of("name", "domain", "aud", "search", "exact", "target_attributes", "page", "per_page"));

    private final JsonNode spec;

    private OpenApiSubset(JsonNode spec) {
        this.spec = spec;
    }

    public static OpenApiSubset load() {
        try (InputStream in = OpenApiSubset.class.getResourceAsStream("/cloudflare-api/openapi-subset.json")) {
            return new OpenApiSubset(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operation of the spec, addressed by a request. */
    public record Operation(String method, String template, JsonNode node, List<JsonNode> parameters) {
    }

    /** The path below the API's base path ({@code /client/v4}), as the spec names its paths. */
    public static String apiPath(String rawPath) {
        return rawPath.startsWith(BASE_PATH) ? rawPath.substring(BASE_PATH.length()) : rawPath;
    }

    /** The template matching {@code path}: the one with the most literal segments wins (`phases/x/entrypoint`). */
    public Optional<String> template(String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> names = spec.path("paths").fieldNames(); names.hasNext(); ) {
            String template = names.next();
            String[] parts = template.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{")) {
                    matches = !segments[i].isEmpty();
                } else {
                    matches = parts[i].equals(segments[i]);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Operation> operation(String method, String template) {
        JsonNode pathItem = spec.path("paths").path(template);
        JsonNode op = pathItem.get(method.toLowerCase(Locale.ROOT));
        if (op == null) {
            return Optional.empty();
        }
        List<JsonNode> parameters = new ArrayList<>();
        pathItem.path("parameters").forEach(p -> parameters.add(resolve(p)));
        op.path("parameters").forEach(p -> parameters.add(resolve(p)));
        return Optional.of(new Operation(method, template, op, parameters));
    }

    /** Follows {@code $ref}s inside this document. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref") && hops < 32; hops++) {
            String ref = current.get("$ref").asText();
            current = spec.at(ref.substring(1));
        }
        return current;
    }

    /** The JSON schema of the operation's 200 (or first 2xx) answer. */
    public JsonNode successSchema(Operation operation) {
        JsonNode responses = operation.node().path("responses");
        for (Iterator<String> codes = responses.fieldNames(); codes.hasNext(); ) {
            String code = codes.next();
            if (code.startsWith("2")) {
                JsonNode schema = resolve(responses.get(code)).at("/content/application~1json/schema");
                if (!schema.isMissingNode()) {
                    return schema;
                }
            }
        }
        return JSON.createObjectNode();
    }

    /** Every way the request breaks the spec; empty when it keeps it. */
    public List<String> violations(String method, String rawPath, String rawQuery) {
        String path = apiPath(rawPath);
        List<String> broken = new ArrayList<>();
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            broken.add(method + " " + path + ": no such path in the spec");
            return broken;
        }
        Optional<Operation> found = operation(method, template.get());
        if (found.isEmpty()) {
            broken.add(method + " " + template.get() + ": the spec has no such method on the path");
            return broken;
        }
        Operation op = found.get();
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode p : op.parameters()) {
            if ("query".equals(p.path("in").asText())) {
                declared.put(p.path("name").asText(), p);
            }
        }
        Map<String, List<String>> query = parseQuery(rawQuery);
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            JsonNode parameter = declared.get(entry.getKey());
            if (parameter == null && CURRENT_REFERENCE.getOrDefault(op.template(), List.of()).contains(entry.getKey())) {
                continue;
            }
            if (parameter == null) {
                broken.add(method + " " + op.template() + ": query parameter '" + entry.getKey() + "' is not declared");
                continue;
            }
            JsonNode schema = resolve(parameter.path("schema"));
            for (String value : entry.getValue()) {
                String problem = valueProblem(schema, value);
                if (problem != null) {
                    broken.add(method + " " + op.template() + ": " + entry.getKey() + "=" + value + " " + problem);
                }
            }
        }
        for (JsonNode p : declared.values()) {
            if (p.path("required").asBoolean(false) && !query.containsKey(p.path("name").asText())) {
                broken.add(method + " " + op.template() + ": required query parameter '" + p.path("name").asText()
                        + "' is missing");
            }
        }
        return broken;
    }

    /** Why one query value breaks its parameter's schema, or null (arrays: each repeated value is an item). */
    private String valueProblem(JsonNode schema, String value) {
        JsonNode merged = flatten(schema);
        String type = merged.path("type").asText("");
        if ("array".equals(type)) {
            return valueProblem(resolve(merged.path("items")), value);
        }
        if (merged.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : merged.get("enum")) {
                listed |= allowed.asText().equals(value);
            }
            if (!listed) {
                return "is not one of " + merged.get("enum");
            }
        }
        switch (type) {
            case "integer", "number" -> {
                double number;
                try {
                    number = "integer".equals(type) ? Long.parseLong(value) : Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return "is not an " + type;
                }
                if (merged.has("minimum") && number < merged.get("minimum").asDouble()) {
                    return "is below the minimum " + merged.get("minimum");
                }
                if (merged.has("maximum") && number > merged.get("maximum").asDouble()) {
                    return "is above the maximum " + merged.get("maximum");
                }
            }
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return "is not a boolean";
                }
            }
            case "string" -> {
                if (merged.has("maxLength") && value.length() > merged.get("maxLength").asInt()) {
                    return "is longer than " + merged.get("maxLength");
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** A schema with its {@code $ref}s and {@code allOf} folded into one object (later parts win). */
    public JsonNode flatten(JsonNode schema) {
        JsonNode resolved = resolve(schema);
        if (resolved == null || !resolved.isObject() || !resolved.has("allOf")) {
            return resolved == null ? JSON.createObjectNode() : resolved;
        }
        ObjectNode merged = JSON.createObjectNode();
        for (JsonNode part : resolved.get("allOf")) {
            mergeInto(merged, flatten(part));
        }
        ObjectNode rest = ((ObjectNode) resolved).deepCopy();
        rest.remove("allOf");
        mergeInto(merged, rest);
        return merged;
    }

    private static void mergeInto(ObjectNode merged, JsonNode part) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = part.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            switch (field.getKey()) {
                case "properties" -> {
                    ObjectNode properties = merged.has("properties") ? (ObjectNode) merged.get("properties")
                            : merged.putObject("properties");
                    properties.setAll((ObjectNode) field.getValue().deepCopy());
                }
                case "required" -> {
                    var required = merged.has("required") ? (com.fasterxml.jackson.databind.node.ArrayNode)
                            merged.get("required") : merged.putArray("required");
                    for (JsonNode name : field.getValue()) {
                        boolean present = false;
                        for (JsonNode seen : required) {
                            present |= seen.asText().equals(name.asText());
                        }
                        if (!present) {
                            required.add(name.asText());
                        }
                    }
                }
                default -> merged.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }
}

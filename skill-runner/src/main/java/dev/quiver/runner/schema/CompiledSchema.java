package dev.quiver.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.quiver.runner.internal.Typos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A JSON Schema compiled once, validating documents against it. Thread-safe. */
public final class CompiledSchema {

    private final Schema schema;

    CompiledSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * The violations of {@code document}, empty when it is valid: all of them counted, the first
     * {@link Violations#LISTED} kept. Only those kept are turned into messages, which costs more than finding them.
     */
    public Violations validate(JsonNode document) {
        CappedErrors errors = new CappedErrors(Violations.LISTED);
        schema.validate(document, context -> context.setErrors(errors));
        return new Violations(errors.kept().stream()
                .map(e -> new Violation(e.getInstanceLocation().toString(), e.getKeyword(), message(e)))
                .toList(), errors.size());
    }

    /**
     * What is wrong, in words a person acts on: an unknown property with the one probably meant, a format with an
     * example. Never the offending value, which may be a secret pasted into the wrong field.
     */
    private String message(Error error) {
        String keyword = error.getKeyword();
        if ("additionalProperties".equals(keyword) && error.getProperty() != null) {
            String property = error.getProperty();
            return "property '" + property + "' is not allowed" + Typos.closest(property, declared(error))
                    .map(meant -> "; did you mean '" + meant + "'?").orElse("");
        }
        if ("required".equals(keyword) && error.getProperty() != null) {
            return "property '" + error.getProperty() + "' is required";
        }
        if ("format".equals(keyword) && error.getSchemaNode() != null && error.getSchemaNode().isTextual()) {
            String format = error.getSchemaNode().asText();
            return "is not a valid " + format + FORMAT_EXAMPLES.getOrDefault(format, "");
        }
        return error.getMessage();
    }

    private static final Map<String, String> FORMAT_EXAMPLES = Map.of(
            "date-time", " (RFC 3339, such as 2026-01-31T23:59:00Z)",
            "date", " (RFC 3339 full-date, such as 2026-01-31)",
            "email", " address",
            "ipv4", " address (such as 198.51.100.7)",
            "ipv6", " address (such as 2001:db8::1)",
            "uri", " (an absolute URI)");

    // The properties the object's schema declares: the sibling "properties" of the failing additionalProperties.
    private List<String> declared(Error error) {
        String fragment = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().getFragment().toString();
        String parent = fragment.endsWith("/additionalProperties")
                ? fragment.substring(0, fragment.length() - "/additionalProperties".length()) : null;
        if (parent == null) {
            return List.of();
        }
        JsonNode object = schema.getSchemaNode().at(parent.startsWith("#") ? parent.substring(1) : parent);
        List<String> names = new ArrayList<>();
        object.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}

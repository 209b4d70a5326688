package dev.quiver.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

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
                .map(e -> new Violation(e.getInstanceLocation().toString(), e.getKeyword(), e.toString()))
                .toList(), errors.size());
    }
}

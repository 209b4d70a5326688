package dev.quiver.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import java.util.List;

/** A JSON Schema compiled once, validating documents against it. Thread-safe. */
public final class CompiledSchema {

    private final Schema schema;

    CompiledSchema(Schema schema) {
        this.schema = schema;
    }

    /** The violations of {@code document}, empty when it is valid. */
    public List<Violation> validate(JsonNode document) {
        List<Error> errors = schema.validate(document);
        return errors.stream()
                .map(e -> new Violation(e.getInstanceLocation().toString(), e.getKeyword(), e.toString()))
                .toList();
    }
}

package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.util.List;

/**
 * JSON Schema as the runner applies it: draft 2020-12 only, format assertions on, JSON-pointer locations, and a
 * schema is first checked against the draft's meta-schema.
 */
public final class Schemas {

    /** The only draft the runner accepts. */
    public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));

    private Schemas() {
    }

    /**
     * Compiles a schema as the runner's catalogue does.
     *
     * @throws IllegalArgumentException naming the problem when it declares another draft, breaks the meta-schema or
     *                                  does not compile
     */
    public static Schema compile(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new IllegalArgumentException("a schema must be a JSON object");
        }
        String declared = schema.path("$schema").asText(DRAFT_2020_12);
        if (!DRAFT_2020_12.equals(declared)) {
            throw new IllegalArgumentException("only draft 2020-12 is supported, not " + declared);
        }
        List<String> meta = messages(META, schema);
        if (!meta.isEmpty()) {
            throw new IllegalArgumentException("not a valid draft 2020-12 schema: " + meta);
        }
        Schema compiled = REGISTRY.getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }

    /** What is wrong with {@code value} under {@code schema}, one line each; empty when it is valid. */
    public static List<String> messages(Schema schema, JsonNode value) {
        return schema.validate(value).stream().map(Error::toString).toList();
    }
}

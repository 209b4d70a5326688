package dev.quiver.runner.schema;

import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.quiver.runner.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compiles JSON Schemas (draft 2020-12) with one shared registry: format assertions on, JSON-pointer locations,
 * no remote references. Thread-safe.
 */
public final class JsonSchemas {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /** Whether a write skill may destroy (delete, overwrite) rather than only add: a boolean at the top. */
    public static final String DESTRUCTIVE = "x-quiver-destructive";
    /** The JSON pointer of a write skill's idempotency key in its input ({@code "/rule/ref"}), at the top. */
    public static final String IDEMPOTENCY_KEY = "x-quiver-idempotency-key";

    // Draft 2020-12 with Quiver's declaration keywords known as annotations: validation ignores them, and the
    // validator does not warn of an unknown keyword each time a skill's schema is compiled.
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
            Dialect.builder(Dialects.getDraft202012())
                    .keyword(new AnnotationKeyword(DESTRUCTIVE))
                    .keyword(new AnnotationKeyword(IDEMPOTENCY_KEY))
                    .build(),
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));
    private final Schema metaSchema = registry.getSchema(SchemaLocation.of(DRAFT_2020_12));

    // One made ahead by prepare(), for the next create().
    private static final AtomicReference<CompletableFuture<JsonSchemas>> PREPARED = new AtomicReference<>();

    /**
     * Starts making the registry on a background thread, for the next {@link #create()}: the first one costs a
     * command about a sixth of its start (the validator's dialect and meta-schemas, and Jackson's and logging's
     * first use), which can then overlap the parsing of the command line. Does nothing when one is already made.
     */
    public static void prepare() {
        CompletableFuture<JsonSchemas> made = new CompletableFuture<>();
        if (PREPARED.compareAndSet(null, made)) {
            Thread thread = new Thread(() -> {
                try {
                    made.complete(new JsonSchemas());
                } catch (Throwable e) {
                    made.completeExceptionally(e);
                }
            }, "quiver-schemas");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** The registry {@link #prepare()} made (waiting for it), else a new one. */
    public static JsonSchemas create() {
        CompletableFuture<JsonSchemas> prepared = PREPARED.getAndSet(null);
        if (prepared != null) {
            try {
                return prepared.join();
            } catch (CompletionException e) {
                // made again below, on the caller's thread, so that any failure is the caller's as it always was
            }
        }
        return new JsonSchemas();
    }

    /**
     * Compiles a schema a plugin declared.
     *
     * @throws InvalidSchemaException when it is not a valid draft 2020-12 schema
     */
    public CompiledSchema compile(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new InvalidSchemaException(List.of(new Violation("", "type", "a schema must be a JSON object")));
        }
        String declared = schema.path("$schema").asText(DRAFT_2020_12);
        if (!DRAFT_2020_12.equals(declared)) {
            throw new InvalidSchemaException(List.of(new Violation("/$schema", "$schema",
                    "only draft 2020-12 is supported, not " + declared)));
        }
        Violations violations = new CompiledSchema(metaSchema).validate(schema);
        if (!violations.isEmpty()) {
            throw new InvalidSchemaException(violations.listed());
        }
        try {
            Schema compiled = registry.getSchema(schema);
            compiled.initializeValidators();
            return new CompiledSchema(compiled);
        } catch (RuntimeException e) {
            throw new InvalidSchemaException(List.of(new Violation("", "compile", String.valueOf(e.getMessage()))));
        }
    }

    /** Compiles one of Quiver's own schemas from the {@code schemas} module ({@code "connection"}). */
    public CompiledSchema builtIn(String name) {
        String path = "schemas/" + name + ".schema.json";
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in schema " + path);
            }
            return compile(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A schema that is not a valid draft 2020-12 schema. */
    public static final class InvalidSchemaException extends RuntimeException {
        private final List<Violation> violations;

        InvalidSchemaException(List<Violation> violations) {
            super(violations.isEmpty() ? "invalid schema" : violations.get(0).message());
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }
}

package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A module's JSON Schemas against their examples: every schema under the test's {@code /schemas} resources accepts
 * each of its valid examples and rejects each of its invalid ones, has both kinds, and declares draft 2020-12 and an
 * id. Examples live in {@code /examples/<schema path without .schema.json>/{valid,invalid}/*.json}. A module's test
 * extends this and says how many schemas it holds at least (so a wrong resource root fails rather than finds none).
 *
 * @since 1.0
 */
public abstract class SchemaExamplesContract {

    /** The fewest schemas the module holds. */
    protected abstract int minimumSchemas();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    @TestFactory
    protected Stream<DynamicTest> eachSchemaAcceptsItsValidExamplesAndRejectsItsInvalidOnes() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path schemaFile : schemaFiles()) {
            String name = schemaName(schemaFile);
            Schema schema = REGISTRY.getSchema(JSON.readTree(schemaFile.toFile()));
            for (Path example : examples(name, "valid")) {
                tests.add(DynamicTest.dynamicTest(name + " accepts " + example.getFileName(), () -> {
                    List<Error> errors = schema.validate(JSON.readTree(example.toFile()));
                    assertEquals(List.of(), errors.stream().map(Error::toString).toList());
                }));
            }
            for (Path example : examples(name, "invalid")) {
                tests.add(DynamicTest.dynamicTest(name + " rejects " + example.getFileName(), () ->
                        assertFalse(schema.validate(JSON.readTree(example.toFile())).isEmpty())));
            }
        }
        return tests.stream();
    }

    @Test
    protected void everySchemaHasValidAndInvalidExamples() throws Exception {
        List<Path> schemas = schemaFiles();
        assertTrue(schemas.size() >= minimumSchemas(), "schemas found: " + schemas);
        for (Path schemaFile : schemas) {
            String name = schemaName(schemaFile);
            assertFalse(examples(name, "valid").isEmpty(), name + " has no valid example");
            assertFalse(examples(name, "invalid").isEmpty(), name + " has no invalid example");
        }
    }

    @Test
    protected void everySchemaDeclaresDraft202012AndAnId() throws Exception {
        for (Path schemaFile : schemaFiles()) {
            JsonNode schema = JSON.readTree(schemaFile.toFile());
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), schemaFile.toString());
            assertTrue(schema.path("$id").asText().startsWith("https://schemas.quiver.dev/"), schemaFile.toString());
        }
    }

    private List<Path> schemaFiles() throws IOException, URISyntaxException {
        Path root = Path.of(getClass().getResource("/schemas").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
    }

    private String schemaName(Path schemaFile) throws URISyntaxException {
        Path root = Path.of(getClass().getResource("/schemas").toURI());
        return root.relativize(schemaFile).toString().replace('\\', '/').replace(".schema.json", "");
    }

    private List<Path> examples(String schemaName, String kind) throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/examples").toURI()).resolve(schemaName).resolve(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}

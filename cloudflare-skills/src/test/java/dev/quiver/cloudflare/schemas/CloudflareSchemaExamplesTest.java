package dev.quiver.cloudflare.schemas;

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
 * Every Cloudflare schema (this plugin bundles them) accepts each of its valid examples and rejects each of its invalid ones. Examples live in
 * {@code examples/<schema path without .schema.json>/{valid,invalid}/*.json}.
 */
class CloudflareSchemaExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    @TestFactory
    Stream<DynamicTest> eachSchemaAcceptsItsValidExamplesAndRejectsItsInvalidOnes() throws Exception {
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
    void everySchemaHasValidAndInvalidExamples() throws Exception {
        List<Path> schemas = schemaFiles();
        assertTrue(schemas.size() >= 15, "schemas found: " + schemas);
        for (Path schemaFile : schemas) {
            String name = schemaName(schemaFile);
            assertFalse(examples(name, "valid").isEmpty(), name + " has no valid example");
            assertFalse(examples(name, "invalid").isEmpty(), name + " has no invalid example");
        }
    }

    @Test
    void everySchemaDeclaresDraft202012AndAnId() throws Exception {
        for (Path schemaFile : schemaFiles()) {
            JsonNode schema = JSON.readTree(schemaFile.toFile());
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), schemaFile.toString());
            assertTrue(schema.path("$id").asText().startsWith("https://schemas.quiver.dev/"), schemaFile.toString());
        }
    }

    private static List<Path> schemaFiles() throws IOException, URISyntaxException {
        Path root = Path.of(CloudflareSchemaExamplesTest.class.getResource("/schemas").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
    }

    private static String schemaName(Path schemaFile) throws URISyntaxException {
        Path root = Path.of(CloudflareSchemaExamplesTest.class.getResource("/schemas").toURI());
        return root.relativize(schemaFile).toString().replace('\\', '/').replace(".schema.json", "");
    }

    private static List<Path> examples(String schemaName, String kind) throws IOException, URISyntaxException {
        Path dir = Path.of(CloudflareSchemaExamplesTest.class.getResource("/examples").toURI()).resolve(schemaName).resolve(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}

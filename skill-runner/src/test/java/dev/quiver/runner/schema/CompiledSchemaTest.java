package dev.quiver.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Violation messages a person acts on, without the offending value. */
class CompiledSchemaTest {

    private static final CompiledSchema SCHEMA = new JsonSchemas().compile(json("""
            {"type": "object",
             "properties": {
               "since": {"type": "string", "format": "date-time"},
               "limit": {"type": "integer"},
               "rule": {"$ref": "#/$defs/rule"}
             },
             "additionalProperties": false,
             "$defs": {"rule": {"type": "object", "required": ["action"],
                                "properties": {"action": {"type": "string"}}, "additionalProperties": false}}}"""));

    private static List<String> messages(String document) {
        return SCHEMA.validate(json(document)).listed().stream().map(Violation::message).toList();
    }

    @Test
    void anUnknownPropertyIsNamedWithThePropertyProbablyMeant() {
        assertEquals(List.of("property 'limt' is not allowed; did you mean 'limit'?"), messages("{\"limt\": 3}"));
        assertEquals(List.of("property 'zzz' is not allowed"), messages("{\"zzz\": 3}"));
    }

    @Test
    void anUnknownPropertyInsideAReferencedSchemaIsMatchedAgainstThatSchemasProperties() {
        assertEquals(List.of("property 'acton' is not allowed; did you mean 'action'?",
                "property 'action' is required"), messages("{\"rule\": {\"acton\": \"block\"}}").stream()
                .sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void aFormatViolationSaysWhatIsExpectedWithAnExampleAndNotTheValue() {
        List<String> messages = messages("{\"since\": \"sk-secret-pasted-here\"}");
        assertEquals(List.of("is not a valid date-time (RFC 3339, such as 2026-01-31T23:59:00Z)"), messages);
        assertFalse(messages.get(0).contains("sk-secret"));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.quiver.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator keeps the first 50 errors and counts the rest. Its composite keywords decide by comparing error
 * counts, so past the cap they must still decide exactly as before: checked here with the cap already full.
 */
class ViolationsCapTest {

    private static final CompiledSchema SCHEMA = new JsonSchemas().compile(json("""
            {"type": "object",
             "properties": {
               "a": {"type": "array", "items": {"type": "string"}},
               "b": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
               "c": {"not": {"type": "string"}},
               "d": {"oneOf": [{"minimum": 10}, {"maximum": 5}]},
               "e": {"if": {"type": "integer"}, "then": {"minimum": 0}}
             },
             "unevaluatedProperties": false}"""));

    @Test
    void onlyTheFirstFiftyAreListedAndEveryOneIsCounted() {
        Violations violations = SCHEMA.validate(withBadItems(200));

        assertEquals(50, violations.listed().size());
        assertEquals(200, violations.total());
        assertEquals("/a/0", violations.listed().get(0).pointer());
        assertEquals("200 violations; the first 50 are listed", violations.count());
    }

    @Test
    void compositeKeywordsPastTheCapDecideAsBelowIt() {
        ObjectNode passing = withBadItems(60);
        passing.put("b", "text").put("c", 1).put("d", 12).put("e", 3);
        assertEquals(60, SCHEMA.validate(passing).total(), "only the items");

        for (String field : new String[]{"b", "c", "d", "e", "extra"}) {
            ObjectNode failing = passing.deepCopy();
            switch (field) {
                case "b" -> failing.put("b", true);
                case "c" -> failing.put("c", "text");
                case "d" -> failing.put("d", 7);
                case "e" -> failing.put("e", -1);
                default -> failing.put("extra", 1);
            }
            Violations violations = SCHEMA.validate(failing);
            assertTrue(violations.total() > 60, field + " failing is counted past the cap: " + violations.total());
        }
    }

    @Test
    void aValidDocumentHasNone() {
        ObjectNode valid = Json.MAPPER.createObjectNode();
        valid.putArray("a").add("x");
        valid.put("b", 1).put("c", 2).put("d", 1);

        assertTrue(SCHEMA.validate(valid).isEmpty(), SCHEMA.validate(valid).toString());
    }

    private static ObjectNode withBadItems(int count) {
        ObjectNode document = Json.MAPPER.createObjectNode();
        ArrayNode items = document.putArray("a");
        for (int i = 0; i < count; i++) {
            items.add(i);
        }
        return document;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

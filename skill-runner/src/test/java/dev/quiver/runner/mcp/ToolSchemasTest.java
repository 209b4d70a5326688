package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolSchemasTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void theSkillsSchemaGetsTheConnectionArgumentAndDryRunAndLosesItsDialect() throws Exception {
        JsonNode skill = json("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$id\": \"x\","
                + " \"type\": \"object\", \"additionalProperties\": false, \"required\": [\"rule\"], \"properties\":"
                + " {\"rule\": {\"type\": \"object\", \"properties\": {\"ref\": {\"type\": \"string\"}}}}}");
        ObjectNode tool = ToolSchemas.input(skill, Optional.of(List.of("a", "b")), true, "/rule/ref").orElseThrow();
        assertFalse(tool.has("$schema"));
        assertFalse(tool.has("$id"));
        assertEquals("[\"a\",\"b\"]", tool.at("/properties/connection/enum").toString());
        assertEquals("[\"rule\",\"connection\"]", tool.path("required").toString());
        assertEquals("boolean", tool.at("/properties/dry_run/type").asText());
        assertEquals("[\"ref\"]", tool.at("/properties/rule/required").toString());
        assertTrue(skill.has("$schema"), "the skill's own schema is not changed");
    }

    @Test
    void aBoundServerAddsNoConnectionAndAKeyWithoutConnectionsGetsNoEnum() throws Exception {
        JsonNode skill = json("{\"type\": \"object\", \"properties\": {}}");
        assertFalse(ToolSchemas.input(skill, Optional.empty(), false, null).orElseThrow().at("/properties")
                .has("connection"));
        ObjectNode none = ToolSchemas.input(skill, Optional.of(List.of()), false, null).orElseThrow();
        assertTrue(none.at("/properties/connection/enum").isMissingNode());
    }

    @Test
    void aSkillWhoseInputHasAPropertyOfTheAdaptersNamesIsNotOffered() throws Exception {
        JsonNode skill = json("{\"type\": \"object\", \"properties\": {\"connection\": {\"type\": \"string\"}}}");
        assertTrue(ToolSchemas.input(skill, Optional.of(List.of("a")), false, null).isEmpty());
    }

    @Test
    void aWriteSkillThatDeclaresNothingIsDestructiveAndNotIdempotent() throws Exception {
        WriteTraits silent = WriteTraits.of(descriptor(json("{\"type\": \"object\"}")));
        assertTrue(silent.destructive());
        assertNull(silent.idempotencyKey());
        WriteTraits declared = WriteTraits.of(descriptor(json("{\"type\": \"object\", \"x-quiver-destructive\":"
                + " false, \"x-quiver-idempotency-key\": \"/rule/ref\"}")));
        assertFalse(declared.destructive());
        assertEquals("/rule/ref", declared.idempotencyKey());
    }

    private static SkillDescriptor descriptor(JsonNode input) {
        return new SkillDescriptor("x_write", "X", "x", "1.0.0", SkillDescriptor.Access.WRITE, "x", input,
                Json.MAPPER.createObjectNode(), List.of());
    }
}

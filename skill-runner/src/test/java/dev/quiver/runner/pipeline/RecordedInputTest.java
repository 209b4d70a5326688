package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.quiver.runner.testing.TestSkills.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordedInputTest {

    private static final JsonNode SCHEMA = json("""
            {"type": "object", "$defs": {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
             "properties": {
               "zone_id": {"$ref": "#/$defs/id"},
               "phase": {"enum": ["a", "b"]},
               "since": {"type": "string", "format": "date-time"},
               "note": {"type": "string"},
               "api_secret": {"type": "string", "pattern": ".*", "writeOnly": true},
               "limit": {"type": "integer"},
               "rule": {"type": "object", "properties": {"ref": {"type": "string", "pattern": "^[a-z]+$"},
                                                         "expression": {"type": "string"}}},
               "tags": {"type": "array", "items": {"enum": ["x", "y"]}}}}""");

    @Test
    void keepsWhatTheSchemaPinsDownAndRedactsFreeTextWriteOnlyAndUndescribedFields() {
        JsonNode recorded = RecordedInput.of(json("""
                {"zone_id": "023e105f4ecef8ad9ca31a8372d0c353", "phase": "a", "since": "2026-11-23T00:00:00Z",
                 "note": "token is hunter2", "api_secret": "s3cr3t", "limit": 5,
                 "rule": {"ref": "abc", "expression": "ip.src eq 1.2.3.4"}, "tags": ["x"],
                 "extra": "undescribed", "nested": {"a": "b"}}"""), SCHEMA);
        assertEquals(json("""
                {"zone_id": "023e105f4ecef8ad9ca31a8372d0c353", "phase": "a", "since": "2026-11-23T00:00:00Z",
                 "note": "[redacted: 16 chars]", "api_secret": "[redacted: 6 chars]", "limit": 5,
                 "rule": {"ref": "abc", "expression": "[redacted: 17 chars]"}, "tags": ["x"],
                 "extra": "[redacted: 11 chars]", "nested": "[redacted: object]"}"""), recorded);
    }
}

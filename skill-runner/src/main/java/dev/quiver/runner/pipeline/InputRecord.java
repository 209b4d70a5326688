package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.RecordedInput;
import dev.quiver.runner.schema.Violation;
import dev.quiver.runner.schema.Violations;

/**
 * What an execution record keeps of the input. An input the schema accepts is kept as {@link RecordedInput} allows
 * (what the schema pins down). An input it refuses is not kept at all, since a refused value is exactly where a
 * pasted secret or an 8 MiB string ends up: only where and how it broke the schema,
 * {@code {"refused": [{"pointer": "/project_id", "keyword": "pattern"}], "violations": 1}}, at most
 * {@link Violations#LISTED} of them.
 */
final class InputRecord {

    private InputRecord() {
    }

    /**
     * The record's input for {@code input} to {@code entry}'s skill.
     *
     * @param violations the input's violations when the pipeline validated it, or {@code null} when an earlier stage
     *                   ended the execution (it is validated here then, only to decide what may be kept)
     */
    static JsonNode of(CatalogEntry entry, JsonNode input, Violations violations) {
        if (input == null) {
            return null;
        }
        Violations found = violations != null ? violations : entry.input().validate(input);
        return found.isEmpty() ? RecordedInput.of(input, entry.descriptor().inputSchema()) : refused(found);
    }

    private static ObjectNode refused(Violations violations) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        ArrayNode refused = record.putArray("refused");
        for (Violation violation : violations.listed()) {
            refused.addObject().put("pointer", violation.pointer()).put("keyword", violation.keyword());
        }
        record.put("violations", violations.total());
        return record;
    }
}

package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.schema.JsonSchemas;

/**
 * What a write skill declares about its writes, for the tool's annotations: whether it may destroy (delete,
 * overwrite) rather than only add, and which input field is its idempotency key. The descriptor has no fields for
 * them yet, so a skill declares them as keywords at the top of its input schema ({@code "x-quiver-destructive":
 * false}, {@code "x-quiver-idempotency-key": "/rule/ref"}); a skill that says nothing is taken as destructive and
 * not idempotent, MCP's own cautious defaults.
 *
 * @param destructive    whether a call may destroy
 * @param idempotencyKey the JSON pointer of the input field that makes a repeated call harmless, or {@code null}
 */
record WriteTraits(boolean destructive, String idempotencyKey) {

    static WriteTraits of(SkillDescriptor descriptor) {
        JsonNode schema = descriptor.inputSchema();
        JsonNode destructive = schema.path(JsonSchemas.DESTRUCTIVE);
        JsonNode key = schema.path(JsonSchemas.IDEMPOTENCY_KEY);
        return new WriteTraits(!destructive.isBoolean() || destructive.booleanValue(),
                key.isTextual() && key.asText().startsWith("/") && key.asText().length() > 1 ? key.asText() : null);
    }
}

package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A successful Cloudflare v4 response: {@code {"success": true, "result": ..., "result_info": ...}}.
 *
 * @param result     the {@code result} member (an object, an array, or null)
 * @param resultInfo the {@code result_info} member, or a missing node
 * @param messages   the {@code messages} member, or a missing node
 */
public record Envelope(JsonNode result, JsonNode resultInfo, JsonNode messages) {

    static Envelope of(JsonNode body) {
        return new Envelope(body.path("result"), orMissing(body.get("result_info")), orMissing(body.get("messages")));
    }

    private static JsonNode orMissing(JsonNode node) {
        return node == null ? MissingNode.getInstance() : node;
    }
}

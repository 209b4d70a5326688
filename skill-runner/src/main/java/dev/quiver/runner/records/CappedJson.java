package dev.quiver.runner.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;

import java.nio.charset.StandardCharsets;

/**
 * A record's input or output cut to a size: past the limit it becomes
 * {@code {"truncated": true, "original_bytes": N, "preview": "<the JSON's first bytes, as text>"}}, which a UI can
 * show as it is (the preview is text, not JSON, since it ends mid-value).
 */
public final class CappedJson {

    /** How much of a truncated value a record keeps to show. */
    static final int PREVIEW_BYTES = 4096;

    private CappedJson() {
    }

    /** {@code value}, or its marker when its JSON is longer than {@code maxBytes}; {@code null} stays null. */
    public static JsonNode cap(JsonNode value, int maxBytes) {
        if (value == null) {
            return null;
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return json.length <= maxBytes ? value : marker(json, Math.min(PREVIEW_BYTES, maxBytes / 2));
    }

    /** The JSON text of {@link #cap(JsonNode, int)}: one serialization, for the records' writer. */
    static String capText(JsonNode value, int maxBytes) {
        if (value == null) {
            return null;
        }
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(value);
            return json.length <= maxBytes ? new String(json, StandardCharsets.UTF_8)
                    : Json.MAPPER.writeValueAsString(marker(json, Math.min(PREVIEW_BYTES, maxBytes / 2)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code value} is a truncation marker. */
    public static boolean truncated(JsonNode value) {
        return value != null && value.path("truncated").asBoolean(false) && value.has("original_bytes");
    }

    private static ObjectNode marker(byte[] json, int previewBytes) {
        int end = Math.min(previewBytes, json.length);
        // Back to the start of a UTF-8 character, so that the preview never ends in half a character.
        while (end > 0 && end < json.length && (json[end] & 0xC0) == 0x80) {
            end--;
        }
        ObjectNode marker = Json.MAPPER.createObjectNode();
        marker.put("truncated", true);
        marker.put("original_bytes", json.length);
        marker.put("preview", new String(json, 0, end, StandardCharsets.UTF_8));
        return marker;
    }
}

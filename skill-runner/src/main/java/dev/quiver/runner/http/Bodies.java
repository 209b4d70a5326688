package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;

import java.io.IOException;

/** Request bodies parsed by the runner's own mapper, so a malformed one gets the contract's error object. */
final class Bodies {

    private Bodies() {
    }

    /** The body as a JSON object. */
    static JsonNode object(String body, String what) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not JSON: " + originalMessage(e),
                    "Send " + what + " as a JSON object with Content-Type: application/json.");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", "Send " + what + " as a JSON object.");
        }
        return json;
    }

    private static String originalMessage(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }
}

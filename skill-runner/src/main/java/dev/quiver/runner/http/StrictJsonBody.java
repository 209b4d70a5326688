package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.JsonText;

/**
 * Request bodies parsed by the runner's own mapper, so a malformed one gets the contract's error object. StrictJsonBody are
 * taken as bytes and decoded here as strict UTF-8: Micronaut's own decoding of a {@code String} body would turn an
 * invalid byte into U+FFFD, and a secret into another one, before anything could refuse it.
 */
final class StrictJsonBody {

    private StrictJsonBody() {
    }

    /** The body as a JSON object: strict UTF-8, no duplicate keys. */
    static JsonNode object(byte[] body, String what) {
        JsonNode json;
        try {
            json = body == null ? null : JsonText.parse(body);
        } catch (JsonText.Refused e) {
            throw ApiException.badRequest("the body is refused: " + e.getMessage(),
                    "Send " + what + " as one JSON object, UTF-8, each key once, with Content-Type:"
                            + " application/json.");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", "Send " + what + " as a JSON object.");
        }
        return json;
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.schema.Violation;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/connections}: a connection JSON (the contract's, {@code schemas/connection}).
 * Read by {@link StrictBodyReader} (strict UTF-8, each key once, no lone surrogate), then its envelope is checked
 * here: {@code id} and {@code type} strings, {@code auth} an object with a {@code method}, so the caller's scope can
 * be judged on the id. Everything else (the id's spelling, the type's settings, the auth method's fields, secret
 * references) is the connection store's to check against the schema and the type's plugin, as for a file added on the
 * host. No message here quotes a value: a secret pasted in the wrong place stays out of the answer.
 *
 * @param id         the connection's id
 * @param type       its connection type
 * @param auth       the credential: its method, and the method's fields (secrets, write-only)
 * @param connection the whole JSON object, as the store reads it
 */
@Schema(name = "Connection", description = "A credential for a vendor's API (the connection JSON). Fields other than"
        + " these are settings of the connection type, checked against the schema its plugin declares.",
        additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
public record ConnectionBody(
        @Schema(description = "lower case, digits, '_', '.', '-'", pattern = "^[a-z0-9][a-z0-9_.-]{0,63}$",
                requiredMode = Schema.RequiredMode.REQUIRED) String id,
        @Schema(description = "The connection type, as its plugin names it (GET /api/v1/plugins)",
                requiredMode = Schema.RequiredMode.REQUIRED) String type,
        Auth auth,
        @Schema(hidden = true) ObjectNode connection) {

    public ConnectionBody {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        Objects.requireNonNull(auth);
        connection = connection.deepCopy();
    }

    /**
     * The credential. Secret fields may be references ({@code ${env:NAME}}, {@code ${file:PATH}}) and are never
     * answered back: a stored connection shows a fingerprint instead.
     *
     * @param method the auth method, e.g. {@code api_token} (with {@code token})
     */
    @Schema(name = "ConnectionAuth", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
            description = "The auth method and its fields, e.g. {\"method\": \"api_token\", \"token\": \"${env:CF_API_TOKEN}\"}")
    public record Auth(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "api_token") String method) {
        public Auth {
            Objects.requireNonNull(method);
        }
    }

    /** Reads the envelope of a connection JSON object, refusing it with every field that is wrong named. */
    static ConnectionBody from(JsonNode json) {
        List<Map<String, Object>> wrong = new ArrayList<>();
        String id = text(json, "/id", "the connection's id, a string", wrong);
        String type = text(json, "/type", "the connection type, a string its plugin names", wrong);
        JsonNode auth = json.get("auth");
        String method = null;
        if (auth == null || !auth.isObject()) {
            wrong.add(violation("/auth", auth == null ? "required" : "type",
                    "must be an object holding the auth method and its fields"));
        } else {
            method = text(auth, "/method", "the auth method, a string such as \"api_token\"", null);
            if (method == null) {
                wrong.add(violation("/auth/method", auth.has("method") ? "type" : "required",
                        "must be the auth method, a string such as \"api_token\""));
            }
        }
        if (!wrong.isEmpty()) {
            throw new ApiException(400, new Failure(ErrorCode.INVALID_INPUT, "the body is not a connection: "
                    + wrong.stream().map(v -> v.get("pointer") + " " + v.get("message")).toList(), wrong,
                    "Send a connection JSON: {\"id\", \"type\", \"auth\": {\"method\", ...}, ...} (see the Connection"
                            + " schema in GET /openapi.yml).", List.of()));
        }
        return new ConnectionBody(id, type, new Auth(method), (ObjectNode) json);
    }

    /** The text at {@code pointer}, or null after listing what is wrong (when {@code wrong} is given). */
    private static String text(JsonNode json, String pointer, String what, List<Map<String, Object>> wrong) {
        JsonNode value = json.at(pointer.substring(pointer.lastIndexOf('/')));
        if (value.isTextual()) {
            return value.asText();
        }
        if (wrong != null) {
            wrong.add(violation(pointer, value.isMissingNode() ? "required" : "type", "must be " + what));
        }
        return null;
    }

    private static Map<String, Object> violation(String pointer, String keyword, String message) {
        return new Violation(pointer, keyword, message).asDetail();
    }
}

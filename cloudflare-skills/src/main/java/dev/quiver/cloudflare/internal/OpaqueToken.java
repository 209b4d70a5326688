package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.SkillException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cursors and checkpoints handed to callers: base64url JSON that the caller passes back unchanged. Each carries a
 * digest of the (flat) filters it was made for, so it cannot silently resume a different query.
 */
public final class OpaqueToken {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpaqueToken() {
    }

    /** Encodes {@code state}, stamped with the digest of {@code filters}. */
    public static String encode(ObjectNode state, JsonNode filters) {
        ObjectNode stamped = state.deepCopy();
        stamped.put("q", digest(filters));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(stamped));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a cursor", e);
        }
    }

    /**
     * Decodes a token made by {@link #encode} for the same filters.
     *
     * @param field the input field it came in, named in the error
     * @throws SkillException INVALID_INPUT when it is not such a token, or was made for other filters
     */
    public static ObjectNode decode(String token, JsonNode filters, String field) throws SkillException {
        JsonNode state;
        try {
            state = JSON.readTree(Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException | IOException e) {
            state = null;
        }
        if (state == null || !state.isObject()) {
            throw invalid(field, "is not a " + field + " this skill returned");
        }
        if (!digest(filters).equals(state.path("q").asText())) {
            throw invalid(field, "was returned for other filters; pass the same filters as the call that returned it");
        }
        return (ObjectNode) state;
    }

    private static SkillException invalid(String field, String why) {
        return new SkillException(ErrorCode.INVALID_INPUT, "/" + field + " " + why,
                "Pass back the " + field + " value exactly as returned, or leave it out to start over.",
                List.of(Map.of("pointer", "/" + field, "message", why)), null);
    }

    private static String digest(JsonNode filters) {
        try {
            // key order is the caller's whim: sort, so equal filters digest alike
            Map<?, ?> canonical = new TreeMap<>(JSON.convertValue(filters, Map.class));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

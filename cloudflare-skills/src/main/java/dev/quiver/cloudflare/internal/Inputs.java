package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.ConnectionInfo;

/** Reads skill inputs that have passed their schema; absent optional fields come back as null. */
public final class Inputs {

    private Inputs() {
    }

    public static String text(JsonNode input, String field) {
        return input.hasNonNull(field) ? input.get(field).asText() : null;
    }

    public static Boolean bool(JsonNode input, String field) {
        return input.hasNonNull(field) ? input.get(field).asBoolean() : null;
    }

    /** The input's account_id, else the connection's account. */
    public static String accountId(JsonNode input, ConnectionInfo connection) {
        String account = text(input, "account_id");
        return account != null ? account : connection.accountId();
    }

    /** The input's zone_id, else null: for skills where a zone is an optional narrowing, not a default. */
    public static String explicitZone(JsonNode input) {
        return text(input, "zone_id");
    }

    /** The input's zone_id, else the connection's default zone (null when it has none). */
    public static String zoneId(JsonNode input, ConnectionInfo connection) {
        String zone = text(input, "zone_id");
        return zone != null ? zone : connection.zoneId();
    }

    /** {@code /zones/{zone}} when a zone is given, else {@code /accounts/{account}}: the two twins of an endpoint. */
    public static String ownerPath(String accountId, String zoneId) {
        return zoneId != null ? "/zones/" + Query.segment(zoneId) : "/accounts/" + Query.segment(accountId);
    }
}

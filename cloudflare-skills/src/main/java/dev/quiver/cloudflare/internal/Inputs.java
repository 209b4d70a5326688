package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;

import java.util.List;

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

    /** The given fields of {@code input} that are present, as an object: the filters a cursor is bound to. */
    public static ObjectNode pick(JsonNode input, List<String> fields) {
        ObjectNode picked = JsonNodeFactory.instance.objectNode();
        fields.stream().filter(input::has).forEach(field -> picked.set(field, input.get(field)));
        return picked;
    }

    /** The input's account_id, else the connection's account. */
    public static String accountId(JsonNode input, ConnectionInfo connection) {
        String account = text(input, "account_id");
        return account != null ? account : connection.setting("account_id");
    }

    /** The input's zone_id, else null: for skills where a zone is an optional narrowing, not a default. */
    public static String explicitZone(JsonNode input) {
        return text(input, "zone_id");
    }

    /** The input's zone_id, else the connection's default zone (null when it has none). */
    public static String zoneId(JsonNode input, ConnectionInfo connection) {
        String zone = text(input, "zone_id");
        return zone != null ? zone : connection.setting("zone_id");
    }

    /** {@code /zones/{zone}} when a zone is given, else {@code /accounts/{account}}: the two twins of an endpoint. */
    public static String ownerPath(String accountId, String zoneId) {
        return zoneId != null ? "/zones/" + Query.segment(zoneId) : "/accounts/" + Query.segment(accountId);
    }
}

package dev.quiver.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A {@link PermissionRule} bound to the resource it is needed on, for one input.
 *
 * @param rule     one of the skill's declared rules
 * @param resource the id of the account or zone (ignored for {@link Scope#USER})
 */
public record RequiredPermission(PermissionRule rule, String resource) {

    public RequiredPermission {
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * Binds a rule to its scope's default target: the input's {@code account_id} / {@code zone_id}, else the
     * connection's account / default zone.
     *
     * @throws SkillException {@link ErrorCode#INVALID_INPUT} for a zone rule when neither input nor connection names
     *                        a zone
     */
    public static RequiredPermission bind(PermissionRule rule, JsonNode input, ConnectionInfo connection)
            throws SkillException {
        return switch (rule.scope()) {
            case USER -> new RequiredPermission(rule, null);
            case ACCOUNT -> new RequiredPermission(rule, text(input, "account_id", connection.accountId()));
            case ZONE -> {
                String zone = text(input, "zone_id", connection.zoneId());
                if (zone == null) {
                    throw new SkillException(ErrorCode.INVALID_INPUT,
                            "no zone: the input has no zone_id and the connection has no default zone",
                            "Pass zone_id in the input, or set zone_id on the connection.");
                }
                yield new RequiredPermission(rule, zone);
            }
        };
    }

    private static String text(JsonNode input, String field, String fallback) {
        JsonNode value = input == null ? null : input.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : fallback;
    }
}

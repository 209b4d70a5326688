package dev.quiver.gate;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGrant;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.ResourceKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, before any request leaves, whether a connection holds the permissions one execution needs: the groups
 * (through the vendor's aliases and implications) on a resource the connection's limit settings admit, all as the
 * connection type declares them (its {@link ResourceKind}s and {@link dev.quiver.api.PermissionGroup}s).
 *
 * <p>Where the connection cannot be judged (its permissions are not listed, or its credential holds everything its
 * owner may do) the permissions pass with a warning, and the resource limits still apply.
 *
 * <p>An optional rule never refuses: the decision says whether it is granted, missing (not held, or off the
 * connection's limits) or unknown (the connection cannot be judged), and the runner hands that to the skill.
 */
public final class PermissionGate {

    private static final String NOT_HELD = "the connection's permissions";

    private PermissionGate() {
    }

    /**
     * The gate's verdict: what required permission is missing (nothing means go), what the caller should be warned
     * about, and whether each optional rule is held (never a reason to refuse).
     */
    public record Decision(List<MissingPermission> missing, List<String> warnings,
                           Map<PermissionRule, PermissionGrant> optional) {
        public Decision {
            missing = List.copyOf(missing);
            warnings = List.copyOf(warnings);
            optional = Map.copyOf(optional);
        }

        public Decision(List<MissingPermission> missing, List<String> warnings) {
            this(missing, warnings, Map.of());
        }

        public boolean allowed() {
            return missing.isEmpty();
        }
    }

    public static Decision check(List<RequiredPermission> needs, Holder connection, ConnectionType type,
                                 PermissionVocabulary vocabulary) {
        List<String> warnings = new ArrayList<>();
        boolean unrestricted = type.unrestrictedAuthMethods().contains(connection.authMethod());
        boolean unknown = connection.permissions() == null;
        if (unrestricted) {
            warnings.add("connection '" + connection.connectionId() + "' uses " + connection.authMethod()
                    + ", which holds every permission of its owner: Quiver cannot check permissions before the"
                    + " request. Prefer a scoped API token.");
        } else if (unknown) {
            warnings.add("connection '" + connection.connectionId() + "' lists no permissions, so Quiver cannot check them"
                    + " before the request and " + type.id() + " will decide. List the token's permission groups"
                    + " in the connection (the type's verify skill may discover them).");
        } else {
            for (String name : connection.permissions()) {
                if (vocabulary.group(name).isEmpty()) {
                    warnings.add("connection '" + connection.connectionId() + "' lists '" + name + "', which is not a "
                            + type.id() + " permission group known to Quiver: ignored");
                }
            }
        }
        Set<String> held = unrestricted || unknown ? Set.of() : vocabulary.closure(connection.permissions());

        List<MissingPermission> missing = new ArrayList<>();
        Map<PermissionRule, PermissionGrant> optional = new LinkedHashMap<>();
        for (RequiredPermission need : needs) {
            List<String> anyOf = need.rule().anyOf();
            String reason = placeRefusal(need, connection, vocabulary);
            if (reason == null && !unrestricted && !unknown && anyOf.stream().noneMatch(held::contains)) {
                reason = anyOf.size() == 1 ? NOT_HELD + " do not include it" : NOT_HELD + " include none of the"
                        + " alternatives";
            }
            if (need.rule().optional()) {
                // Never a refusal: the skill is told, and a rule bound to several resources keeps its weakest grant.
                PermissionGrant grant = reason != null ? PermissionGrant.MISSING
                        : unrestricted || unknown ? PermissionGrant.UNKNOWN : PermissionGrant.GRANTED;
                optional.merge(need.rule(), grant, (a, b) -> a.compareTo(b) == 0 ? a
                        : a == PermissionGrant.MISSING || b == PermissionGrant.MISSING ? PermissionGrant.MISSING
                        : PermissionGrant.UNKNOWN);
                continue;
            }
            if (reason != null) {
                missing.add(new MissingPermission(anyOf.get(0), need.rule().scope(), need.resource(),
                        anyOf.size() > 1 ? anyOf : List.of(), reason));
            }
        }
        return new Decision(missing, warnings, optional);
    }

    /**
     * Why the need's resource is off limits for this connection whatever its permissions, or null: the kind's
     * limit setting is a string naming another resource, or a non-empty list without it.
     */
    private static String placeRefusal(RequiredPermission need, Holder connection, PermissionVocabulary vocabulary) {
        ResourceKind kind = vocabulary.kind(need.rule().scope()).orElse(null);
        if (kind == null || kind.limitSetting() == null || need.resource() == null) {
            return null;
        }
        JsonNode limit = connection.setting(kind.limitSetting());
        if (limit.isTextual() && !limit.asText().isEmpty() && !limit.asText().equals(need.resource())) {
            return "the connection is for " + kind.name() + " " + limit.asText() + ", not " + need.resource();
        }
        if (limit.isArray() && !limit.isEmpty()) {
            List<String> allowed = new ArrayList<>();
            limit.forEach(value -> allowed.add(value.asText()));
            if (RequiredPermission.EVERY.equals(need.resource())) {
                return "the connection is limited to " + kind.limitSetting() + " " + allowed
                        + (kind.inputField() == null ? "" : "; name one of them with " + kind.inputField());
            }
            if (!allowed.contains(need.resource())) {
                return kind.name() + " " + need.resource() + " is not in the connection's " + kind.limitSetting()
                        + " allow-list";
            }
        }
        return null;
    }

    /** What the caller should change, in one paragraph: the type's advice on what to grant, and where to aim. */
    public static String remediation(Holder connection, ConnectionType type, PermissionVocabulary vocabulary,
                              List<MissingPermission> missing) {
        StringBuilder grants = new StringBuilder();
        Set<String> limits = new LinkedHashSet<>();
        for (MissingPermission m : missing) {
            if (m.reason().startsWith(NOT_HELD)) {
                grants.append(grants.length() == 0 ? "" : "; ").append(m.alternatives().isEmpty() ? m.permission()
                        : String.join(" or ", m.alternatives()));
                grants.append(m.resource() == null ? " (" + m.scope() + ")" : " on " + m.scope() + " "
                        + (RequiredPermission.EVERY.equals(m.resource()) ? "(every " + m.scope() + ")"
                        : m.resource()));
            } else {
                vocabulary.kind(m.scope()).map(ResourceKind::limitSetting).ifPresent(limits::add);
            }
        }
        StringBuilder text = new StringBuilder();
        String reconnect = grants.length() > 0 ? reconnect(connection, type, missing) : null;
        if (reconnect != null) {
            text.append(reconnect);
        } else if (grants.length() > 0) {
            text.append(type.permissionRemediation(connection.connectionId(), grants.toString()));
        }
        if (!limits.isEmpty()) {
            text.append(text.length() == 0 ? "" : " ").append("Target a resource the connection covers, or extend")
                    .append(" its ").append(String.join(" / ", limits)).append(".");
        }
        return text.toString();
    }

    /**
     * For a connection made by OAuth, the scopes to approve on a reconnect (the user declined them, or the skill came
     * later); {@code null} for any other connection, or when no scope grants what is missing.
     */
    private static String reconnect(Holder connection, ConnectionType type, List<MissingPermission> missing) {
        dev.quiver.api.OAuthProfile oauth = type.oauth();
        if (oauth == null || !oauth.authMethod().equals(connection.authMethod())) {
            return null;
        }
        List<String> permissions = new java.util.ArrayList<>();
        for (MissingPermission m : missing) {
            if (m.reason().startsWith(NOT_HELD)) {
                List<String> options = m.alternatives().isEmpty() ? List.of(m.permission()) : m.alternatives();
                options.stream().filter(oauth.scopesByPermission()::containsKey).findFirst()
                        .ifPresent(permissions::add);
            }
        }
        if (permissions.isEmpty()) {
            return null;
        }
        List<String> scopes = oauth.scopesFor(permissions).stream()
                .filter(scope -> !oauth.alwaysScopes().contains(scope)).toList();
        return "Reconnect connection '" + connection.connectionId() + "' (POST /api/v1/connections/"
                + connection.connectionId() + "/connect) and approve " + String.join(", ", scopes) + ".";
    }
}

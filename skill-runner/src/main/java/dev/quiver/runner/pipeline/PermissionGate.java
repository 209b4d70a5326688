package dev.quiver.runner.pipeline;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.Scope;
import dev.quiver.runner.catalog.PermissionVocabulary;
import dev.quiver.runner.connection.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, before any request leaves, whether a connection holds the permissions one execution needs: the groups
 * (through the vendor's aliases and implications), on the right account, on a zone its allow-list admits.
 *
 * <p>Where the connection cannot be judged (its permissions are not listed, or its credential holds everything its
 * owner may do) the groups pass with a warning, and the account and zone restrictions still apply.
 */
public final class PermissionGate {

    private PermissionGate() {
    }

    /** The gate's verdict: what is missing (nothing means go) and what the caller should be warned about. */
    public record Decision(List<MissingPermission> missing, List<String> warnings) {
        public Decision {
            missing = List.copyOf(missing);
            warnings = List.copyOf(warnings);
        }

        public boolean allowed() {
            return missing.isEmpty();
        }
    }

    public static Decision check(List<RequiredPermission> needs, Connection connection, ConnectionType type,
                                 PermissionVocabulary vocabulary) {
        List<String> warnings = new ArrayList<>();
        boolean unrestricted = type.unrestrictedAuthMethods().contains(connection.credential().method());
        boolean unknown = connection.permissions() == null;
        if (unrestricted) {
            warnings.add("connection '" + connection.id() + "' uses " + connection.credential().method()
                    + ", which holds every permission of its owner: Quiver cannot check permissions before the"
                    + " request. Prefer a scoped API token.");
        } else if (unknown) {
            warnings.add("connection '" + connection.id() + "' lists no permissions, so Quiver cannot check them"
                    + " before the request and " + type.id() + " will decide. List the token's permission groups"
                    + " in the connection (the verify skill discovers them where the token may read its policies).");
        } else {
            for (String name : connection.permissions()) {
                if (vocabulary.group(name).isEmpty()) {
                    warnings.add("connection '" + connection.id() + "' lists '" + name + "', which is not a "
                            + type.id() + " permission group known to Quiver: ignored");
                }
            }
        }
        Set<String> held = unrestricted || unknown ? Set.of() : vocabulary.closure(connection.permissions());

        List<MissingPermission> missing = new ArrayList<>();
        for (RequiredPermission need : needs) {
            List<String> anyOf = need.rule().anyOf();
            String reason = placeRefusal(need, connection);
            if (reason == null && !unrestricted && !unknown && anyOf.stream().noneMatch(held::contains)) {
                reason = anyOf.size() == 1 ? "the connection's permissions do not include it"
                        : "the connection's permissions include none of the alternatives";
            }
            if (reason != null) {
                missing.add(new MissingPermission(anyOf.get(0), need.rule().scope(), need.resource(),
                        anyOf.size() > 1 ? anyOf : List.of(), reason));
            }
        }
        return new Decision(missing, warnings);
    }

    /** Why the need's resource is off limits for this connection whatever its groups, or null. */
    private static String placeRefusal(RequiredPermission need, Connection connection) {
        if (need.rule().scope() == Scope.ACCOUNT && need.resource() != null
                && !need.resource().equals(connection.accountId())) {
            return "the connection is for account " + connection.accountId() + ", not " + need.resource();
        }
        if (need.rule().scope() == Scope.ZONE && !connection.zones().isEmpty()) {
            if ("*".equals(need.resource())) {
                return "the connection is limited to zones " + connection.zones()
                        + "; name one of them with zone_id";
            }
            if (!connection.zones().contains(need.resource())) {
                return "zone " + need.resource() + " is not in the connection's zones allow-list";
            }
        }
        return null;
    }

    /** What the caller should change, in one paragraph. */
    static String remediation(Connection connection, List<MissingPermission> missing) {
        StringBuilder add = new StringBuilder();
        boolean placement = false;
        for (MissingPermission m : missing) {
            if (m.reason().startsWith("the connection's permissions")) {
                add.append(add.length() == 0 ? "" : "; ").append(m.alternatives().isEmpty() ? m.permission()
                        : String.join(" or ", m.alternatives()));
                add.append(m.scope() == Scope.USER ? " (user)" : " on " + m.scope().jsonName() + " "
                        + ("*".equals(m.resource()) ? "(all zones)" : m.resource()));
            } else {
                placement = true;
            }
        }
        StringBuilder text = new StringBuilder();
        if (add.length() > 0) {
            text.append("Edit the API token of connection '").append(connection.id()).append("' and add: ")
                    .append(add).append(". In the dashboard a 'Write' group is shown as 'Edit'. Then list the")
                    .append(" groups in the connection's permissions.");
        }
        if (placement) {
            text.append(text.length() == 0 ? "" : " ").append("Target an account or zone the connection")
                    .append(" covers, or extend its account_id / zones.");
        }
        return text.toString();
    }
}

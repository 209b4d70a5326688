package dev.quiver.api;

import java.util.List;

/**
 * A permission group of a vendor's vocabulary, such as Cloudflare's {@code "Zone WAF Write"}.
 *
 * @param name    the canonical (API) name
 * @param scope   the kind of resource it is granted on
 * @param aliases other spellings a user may write for it (the dashboard's {@code "Zone WAF Edit"})
 * @param implies the groups holding this one also grants ({@code "Zone WAF Read"})
 */
public record PermissionGroup(String name, Scope scope, List<String> aliases, List<String> implies) {

    public PermissionGroup {
        aliases = List.copyOf(aliases);
        implies = List.copyOf(implies);
    }
}

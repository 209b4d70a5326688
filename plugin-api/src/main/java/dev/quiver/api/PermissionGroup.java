package dev.quiver.api;

import java.util.List;
import java.util.Objects;

/**
 * One permission of a vendor's vocabulary, as the vendor names it ({@code "repo:write"}, {@code "Project Admin"}).
 * A connection lists the permissions its credential holds by these names (or their aliases); a skill's
 * {@link PermissionRule}s may name only canonical names.
 *
 * @param name    the canonical name
 * @param scope   the {@link ResourceKind#name()} it is granted on
 * @param aliases other spellings a user may write for it (a dashboard's label, say); matched case-insensitively
 * @param implies the canonical names that holding this one also grants (write grants read, say); transitive
 * @since 1.0
 */
public record PermissionGroup(String name, String scope, List<String> aliases, List<String> implies) {

    public PermissionGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        aliases = List.copyOf(aliases);
        implies = List.copyOf(implies);
    }

    /** A permission with no alias that implies nothing. */
    public static PermissionGroup of(String name, String scope) {
        return new PermissionGroup(name, scope, List.of(), List.of());
    }
}

package dev.quiver.api;

import java.util.List;
import java.util.Objects;

/**
 * A permission a skill needs: any one of {@code anyOf} (canonical {@link PermissionGroup} names of the skill's
 * connection type) granted on a resource of the kind {@code scope}. The runner's catalogue refuses a skill whose rule
 * names a permission the type does not declare, or one declared on another kind.
 *
 * @param scope the {@link ResourceKind#name()} the permission must be granted on
 * @param anyOf the permissions that each satisfy the rule, in the order a user should be told about them; never empty
 * @param when  when the rule applies, for humans ({@code "the target is a project"}); {@code null} when it always does
 * @since 1.0
 */
public record PermissionRule(String scope, List<String> anyOf, String when) {

    public PermissionRule {
        Objects.requireNonNull(scope, "scope");
        anyOf = List.copyOf(anyOf);
    }

    /** A rule that always applies and is satisfied by exactly one permission. */
    public static PermissionRule of(String scope, String permission) {
        return new PermissionRule(scope, List.of(permission), null);
    }
}

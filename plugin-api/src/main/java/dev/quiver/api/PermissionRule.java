package dev.quiver.api;

import java.util.List;
import java.util.Objects;

/**
 * A permission a skill needs: any one of {@code anyOf} (canonical {@link PermissionGroup} names of the skill's
 * connection type) granted on a resource of the kind {@code scope}. The runner's catalogue refuses a skill whose rule
 * names a permission the type does not declare, or one declared on another kind.
 *
 * <p>An <b>optional</b> rule does not stop the skill: the gate runs it when its required rules are held and tells it,
 * through {@link SkillContext#grant(PermissionRule)}, whether each optional one is {@linkplain PermissionGrant held},
 * so the skill does less instead of failing (a review skips the checks it may not make, and says which permission
 * would enable them).
 *
 * @param scope    the {@link ResourceKind#name()} the permission must be granted on
 * @param anyOf    the permissions that each satisfy the rule, in the order a user should be told about them; never
 *                 empty
 * @param when     for a required rule, when it applies, for humans ({@code "the target is a project"}); for an
 *                 optional rule, what it enables ({@code "the WAF checks"}); {@code null} when it always applies
 * @param optional whether the skill runs without it (see above)
 * @since 1.0
 */
public record PermissionRule(String scope, List<String> anyOf, String when, boolean optional) {

    public PermissionRule {
        Objects.requireNonNull(scope, "scope");
        anyOf = List.copyOf(anyOf);
    }

    /** A required rule: the skill is refused without it. */
    public PermissionRule(String scope, List<String> anyOf, String when) {
        this(scope, anyOf, when, false);
    }

    /** A rule that always applies and is satisfied by exactly one permission. */
    public static PermissionRule of(String scope, String permission) {
        return new PermissionRule(scope, List.of(permission), null);
    }

    /** An optional rule satisfied by exactly one permission; {@code enables} says what the skill does with it. */
    public static PermissionRule optional(String scope, String permission, String enables) {
        return new PermissionRule(scope, List.of(permission), Objects.requireNonNull(enables, "enables"), true);
    }
}

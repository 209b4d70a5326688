package dev.quiver.api;

import java.util.Objects;

/**
 * A {@link PermissionRule} bound to the resource it is needed on, for one input.
 *
 * @param rule     one of the skill's declared rules
 * @param resource the resource's id; {@link #EVERY} for every resource of the kind (a listing across them); or
 *                 {@code null} to let the runner bind it the way the rule's {@link ResourceKind} declares: the
 *                 input's {@link ResourceKind#inputField()}, else the connection's
 *                 {@link ResourceKind#defaultSetting()}. Ignored for a kind without ids.
 * @since 1.0
 */
public record RequiredPermission(PermissionRule rule, String resource) {

    /** The resource id meaning every resource of the rule's kind. */
    public static final String EVERY = "*";

    public RequiredPermission {
        Objects.requireNonNull(rule, "rule");
    }

    /** The rule on the resource its kind's declarations point to, bound by the runner. */
    public static RequiredPermission onDefault(PermissionRule rule) {
        return new RequiredPermission(rule, null);
    }
}

package dev.quiver.api;

import java.util.List;
import java.util.Objects;

/**
 * A permission a skill needs: one of {@code anyOf} (vendor permission-group names, such as
 * {@code "Account Rulesets Write"}) granted on a resource of {@code scope}.
 *
 * @param scope the kind of resource the group must be granted on
 * @param anyOf the groups that each satisfy the rule, in the order a user should be told about them; never empty
 * @param when  when the rule applies, for humans ({@code "the target is a zone"}); {@code null} when it always does
 */
public record PermissionRule(Scope scope, List<String> anyOf, String when) {

    public PermissionRule {
        Objects.requireNonNull(scope, "scope");
        anyOf = List.copyOf(anyOf);
    }

    /** A rule that always applies and is satisfied by exactly one group. */
    public static PermissionRule of(Scope scope, String group) {
        return new PermissionRule(scope, List.of(group), null);
    }
}

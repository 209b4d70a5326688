package dev.quiver.api;

/**
 * Whether the connection holds an {@linkplain PermissionRule#optional() optional} permission, as the runner's gate
 * judged it before the skill ran.
 *
 * @since 1.0
 */
public enum PermissionGrant {
    /** Held on every resource the skill bound the rule to. */
    GRANTED,
    /** Not held (or a resource it was bound to is outside the connection's limits): do not try what it enables. */
    MISSING,
    /**
     * The gate cannot judge: the connection lists no permissions, or its credential holds everything its owner may
     * do. Try, and treat the vendor's refusal as "missing".
     */
    UNKNOWN
}

package dev.quiver.api;

import java.util.Objects;

/**
 * A kind of resource a vendor grants permissions on (an organisation, a project, a site; for some vendors only the
 * credential's owner), declared by a {@link ConnectionType}. {@link PermissionGroup#scope()} and
 * {@link PermissionRule#scope()} name one by {@link #name()}.
 *
 * <p>It tells the runner's permission gate three things, all optional:
 * <ul>
 *   <li>how a skill input names the resource ({@link #inputField()}), so that a rule a skill declares can be bound
 *       to the resource an input targets without code in the skill;</li>
 *   <li>which connection setting holds the resource used when the input names none ({@link #defaultSetting()});</li>
 *   <li>which connection setting limits the resources the connection may target ({@link #limitSetting()}): when
 *       that setting is a string, only that resource; when it is a non-empty array, only those; when it is absent
 *       or empty, any.</li>
 * </ul>
 * A kind with neither an input field nor a default setting has no resource id (the credential's owner, say): a rule
 * of that kind is checked on the permission alone.
 *
 * @param name           the kind's name in rules, groups and error details ({@code project}); {@code [a-z][a-z0-9_]*}
 * @param inputField     the top-level input field naming the resource's id ({@code project_id}), or {@code null}
 * @param defaultSetting the connection setting holding the default resource id, or {@code null}
 * @param limitSetting   the connection setting that limits the resources the connection may target, or {@code null}
 * @since 1.0
 */
public record ResourceKind(String name, String inputField, String defaultSetting, String limitSetting) {

    public ResourceKind {
        Objects.requireNonNull(name, "name");
    }

    /** A kind without a resource id: its rules are checked on the permission alone. */
    public static ResourceKind withoutId(String name) {
        return new ResourceKind(name, null, null, null);
    }

    /** Whether resources of this kind are named by an id. */
    public boolean hasId() {
        return inputField != null || defaultSetting != null;
    }
}

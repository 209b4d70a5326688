package dev.quiver.gate;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.ResourceKind;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A vendor's permission vocabulary, as its {@link ConnectionType} declares it: canonical names, aliases (a
 * console's spelling of a name) and implications (write grants read), and the resource kinds they are granted on.
 * Immutable.
 */
public final class PermissionVocabulary {

    private final Map<String, PermissionGroup> byName = new HashMap<>();
    private final Map<String, ResourceKind> kinds = new LinkedHashMap<>();

    public PermissionVocabulary(Collection<PermissionGroup> groups, Collection<ResourceKind> kinds) {
        for (PermissionGroup group : groups) {
            byName.put(key(group.name()), group);
            group.aliases().forEach(alias -> byName.putIfAbsent(key(alias), group));
        }
        kinds.forEach(kind -> this.kinds.putIfAbsent(kind.name(), kind));
    }

    public static PermissionVocabulary of(ConnectionType type) {
        return new PermissionVocabulary(type.permissionGroups(), type.resourceKinds());
    }

    /** The resource kind with this name. */
    public Optional<ResourceKind> kind(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /** The declared resource kinds, in declaration order. */
    public Collection<ResourceKind> kinds() {
        return kinds.values();
    }

    /** The group a name (canonical or alias, any case) stands for. */
    public Optional<PermissionGroup> group(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    /** Whether {@code name} is a group's canonical name (declarations must use those). */
    public boolean isCanonical(String name) {
        PermissionGroup group = byName.get(key(name));
        return group != null && group.name().equals(name);
    }

    /**
     * Every canonical group that holding {@code names} grants: the names themselves, resolved through aliases, and
     * whatever they imply, transitively. Unknown names are left out.
     */
    public Set<String> closure(Collection<String> names) {
        Set<String> granted = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(names);
        while (!pending.isEmpty()) {
            group(pending.pop()).ifPresent(group -> {
                if (granted.add(group.name())) {
                    pending.addAll(group.implies());
                }
            });
        }
        return granted;
    }

    private static String key(String name) {
        return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}

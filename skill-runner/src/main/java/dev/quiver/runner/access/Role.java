package dev.quiver.runner.access;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do; each role may do everything the ones before it may. */
public enum Role {
    /** Reads the catalogue and the execution records. */
    VIEWER,
    /** And runs read skills. */
    ANALYST,
    /** And runs write skills. */
    RESPONDER,
    /** And manages connections, plugins and keys. */
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and those above it, in words: "analyst or higher", but "admin" (nothing is above it). */
    public String orHigher() {
        return this == values()[values().length - 1] ? jsonName() : jsonName() + " or higher";
    }

    /** The role named {@code name} (case-insensitive). */
    public static Optional<Role> parse(String name) {
        for (Role role : values()) {
            if (role.jsonName().equalsIgnoreCase(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

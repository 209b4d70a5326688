package dev.quiver.api;

/** The kind of resource a permission is granted on. */
public enum Scope {
    /** The user who owns the credential. */
    USER,
    /** An account (tenant), identified by its account id. */
    ACCOUNT,
    /** A zone (site) inside an account, identified by its zone id. */
    ZONE;

    /** The lower-case name used in JSON ({@code "zone"}). */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

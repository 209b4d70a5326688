package dev.quiver.runner.access;

import java.time.Instant;

/**
 * An API key as the store keeps it: never the key itself, only its SHA-256.
 *
 * @param id        the key's public id (also the key's prefix)
 * @param role      what it may do
 * @param hash      hex SHA-256 of the whole key
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or {@code null}
 * @param scope     the connections it may use and see the records of
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record ApiKey(String id, Role role, String hash, Instant createdAt, Instant revokedAt, ConnectionScope scope,
                     Instant expiresAt) {

    /** Neither revoked nor expired. */
    public boolean active() {
        return revokedAt == null && !expired();
    }

    /** Past its expiry. */
    public boolean expired() {
        return expiresAt != null && !Instant.now().isBefore(expiresAt);
    }

    /** The caller this key makes of whoever presents it. */
    public Caller caller() {
        return new Caller(id, role, scope);
    }

    ApiKey revoked(Instant at) {
        return new ApiKey(id, role, hash, createdAt, at, scope, expiresAt);
    }
}

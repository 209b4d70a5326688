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
 */
public record ApiKey(String id, Role role, String hash, Instant createdAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }

    ApiKey revoked(Instant at) {
        return new ApiKey(id, role, hash, createdAt, at);
    }
}

package dev.quiver.runner.connection;

import dev.quiver.api.ConnectionInfo;

import java.util.List;

/**
 * A connection with its secrets resolved. Only {@link #credential()} holds secrets.
 *
 * @param id          the connection id
 * @param type        the connection type ({@code cloudflare})
 * @param credential  the resolved credential
 * @param accountId   the account
 * @param zoneId      the default zone, or {@code null}
 * @param permissions the permission groups the credential holds, or {@code null} when unknown
 * @param zones       the zone allow-list; empty for no restriction
 * @param baseUrl     the API base URL, or {@code null} for the type's default
 */
public record Connection(String id, String type, Credential credential, String accountId, String zoneId,
                         List<String> permissions, List<String> zones, String baseUrl) {

    public Connection {
        permissions = permissions == null ? null : List.copyOf(permissions);
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    /** The non-secret view handed to plugins. */
    public ConnectionInfo info() {
        return new ConnectionInfo(id, type, credential.method(), accountId, zoneId, credential.fingerprint());
    }
}

package dev.quiver.api;

/**
 * The non-secret view of a connection that a skill runs on.
 *
 * @param id                    the connection's id ({@code acme-cloudflare})
 * @param type                  its {@link ConnectionType#id()}
 * @param authMethod            the {@link AuthMethod#name()} it authenticates with
 * @param accountId             the account the connection is for; never null
 * @param zoneId                the default zone, or {@code null}
 * @param credentialFingerprint a stable, non-reversible id of the credential (not the secret), for keying per-credential
 *                              state such as rate pacing
 */
public record ConnectionInfo(
        String id,
        String type,
        String authMethod,
        String accountId,
        String zoneId,
        String credentialFingerprint) {
}

package dev.quiver.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link ConnectionType} is connected by OAuth 2.0 (authorization code with PKCE S256, rotating refresh
 * tokens): the vendor's authorization-server paths and the scopes that grant each permission of the type's
 * vocabulary. The runner owns the flow (state, PKCE, token storage, refresh); this is only the vendor's data.
 *
 * <p>Tokens are stored in the connection's {@code auth} under {@link #authMethod()}, which must be one of the type's
 * {@link ConnectionType#authMethods()} with the required field {@code access_token} and the optional fields
 * {@code refresh_token}, {@code expires_at}, {@code client_id} (the client the tokens were issued to) and
 * {@code authorization_server} (the base URL of the server that issued them, where they are refreshed and revoked:
 * never another, whatever the deployment's configuration is later).
 *
 * @param baseUrl            the authorization server's base URL ({@code https://auth.example.com}); a deployment may
 *                           override it (a simulator's, say)
 * @param authorizePath      the authorization endpoint, relative to {@code baseUrl} ({@code /oauth2/auth})
 * @param tokenPath          the token endpoint, relative to {@code baseUrl}
 * @param revokePath         the RFC 7009 revocation endpoint, relative to {@code baseUrl}; {@code null} when none
 * @param authMethod         the {@link AuthMethod#name()} under which tokens are stored ({@code oauth})
 * @param alwaysScopes       scopes requested on every connect ({@code offline_access} for a refresh token)
 * @param scopesByPermission for each permission name of {@link ConnectionType#permissionGroups()}, the scopes any
 *                           one of which grants it, narrowest first
 * @param unverifiedScopes   scopes whose grants are the plugin's inference, not the vendor's documentation; shown as
 *                           such to the user
 * @since 1.0
 */
public record OAuthProfile(String baseUrl, String authorizePath, String tokenPath, String revokePath,
                           String authMethod, List<String> alwaysScopes, Map<String, List<String>> scopesByPermission,
                           Set<String> unverifiedScopes) {

    public OAuthProfile {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(authorizePath, "authorizePath");
        Objects.requireNonNull(tokenPath, "tokenPath");
        Objects.requireNonNull(authMethod, "authMethod");
        alwaysScopes = List.copyOf(alwaysScopes);
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        scopesByPermission.forEach((permission, scopes) -> copy.put(permission, List.copyOf(scopes)));
        scopesByPermission = java.util.Collections.unmodifiableMap(copy);
        unverifiedScopes = Set.copyOf(unverifiedScopes);
    }

    /**
     * The smallest set of scopes that covers {@code permissions} (plus {@link #alwaysScopes()}), in a stable order:
     * permissions with the fewest scope options are placed first (a write permission before the read one its scope
     * also grants), a permission already covered by a chosen scope adds nothing, otherwise its narrowest scope is
     * chosen.
     *
     * @throws IllegalArgumentException naming the permissions no scope grants
     */
    public List<String> scopesFor(Iterable<String> permissions) {
        Set<String> chosen = new LinkedHashSet<>(alwaysScopes);
        List<String> uncovered = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (String permission : permissions) {
            List<String> scopes = scopesByPermission.get(permission);
            if (scopes == null || scopes.isEmpty()) {
                uncovered.add(permission);
            } else {
                pending.add(permission);
            }
        }
        if (!uncovered.isEmpty()) {
            throw new IllegalArgumentException("no OAuth scope grants " + uncovered);
        }
        pending.sort(java.util.Comparator.<String>comparingInt(p -> scopesByPermission.get(p).size())
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (String permission : pending) {
            List<String> scopes = scopesByPermission.get(permission);
            if (scopes.stream().noneMatch(chosen::contains)) {
                chosen.add(scopes.get(0));
            }
        }
        return List.copyOf(chosen);
    }

    /** The permissions {@code grantedScopes} grant: those with at least one of them among their scopes. */
    public Set<String> permissionsOf(Iterable<String> grantedScopes) {
        Set<String> granted = new LinkedHashSet<>();
        grantedScopes.forEach(granted::add);
        Set<String> permissions = new LinkedHashSet<>();
        scopesByPermission.forEach((permission, scopes) -> {
            if (scopes.stream().anyMatch(granted::contains)) {
                permissions.add(permission);
            }
        });
        return permissions;
    }
}

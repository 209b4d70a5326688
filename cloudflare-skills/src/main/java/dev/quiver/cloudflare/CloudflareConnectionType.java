package dev.quiver.cloudflare;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.OAuthProfile;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.ResourceKind;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.cloudflare.internal.Schemas;
import dev.quiver.cloudflare.internal.PermissionGroups;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;

/** Cloudflare API v4 connections: API tokens, the legacy Global API key, and OAuth access tokens. */
@Extension
public class CloudflareConnectionType implements ConnectionType {

    public static final String ID = "cloudflare";

    private static final List<AuthMethod> AUTH_METHODS = List.of(
            new AuthMethod("api_token", List.of("token"), Map.of("Authorization", "Bearer {token}")),
            new AuthMethod("global_api_key", List.of("email", "key"),
                    Map.of("X-Auth-Email", "{email}", "X-Auth-Key", "{key}")),
            new AuthMethod("oauth", List.of("access_token"),
                    List.of("refresh_token", "expires_at", "client_id", "client_secret",
                            "authorization_server"),
                    Map.of("Authorization", "Bearer {access_token}")));

    /**
     * Permissions are granted to a user, on an account, or on a zone. A skill input names its account and zone by
     * {@code account_id} / {@code zone_id}, defaulting to the connection's; a connection is for one account, and its
     * optional {@code zones} allow-list limits the zones a skill may aim at.
     */
    private static final List<ResourceKind> RESOURCE_KINDS = List.of(
            ResourceKind.withoutId(Resources.USER),
            new ResourceKind(Resources.ACCOUNT, "account_id", "account_id", "account_id"),
            new ResourceKind(Resources.ZONE, "zone_id", "zone_id", "zones"));

    private static final JsonNode SETTINGS = Schemas.load("connection-settings");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.cloudflare.com/client/v4";
    }

    @Override
    public List<AuthMethod> authMethods() {
        return AUTH_METHODS;
    }

    @Override
    public List<PermissionGroup> permissionGroups() {
        return PermissionGroups.ALL;
    }

    @Override
    public List<ResourceKind> resourceKinds() {
        return RESOURCE_KINDS;
    }

    /** {@code account_id} (required), {@code zone_id}, {@code zones}: the fields of a 0.1 connection file, unchanged. */
    @Override
    public JsonNode settingsSchema() {
        return SETTINGS;
    }

    @Override
    public String permissionRemediation(String connectionId, String grants) {
        return "Edit the API token of connection '" + connectionId + "' and add: " + grants + ". In the dashboard"
                + " a 'Write' group is shown as 'Edit'. Then list the groups in the connection's permissions.";
    }

    @Override
    public String requestIdHeader() {
        return "cf-ray";
    }

    /** The Global API key acts with every permission of its user: nothing to check it against. */
    @Override
    public List<String> unrestrictedAuthMethods() {
        return List.of("global_api_key");
    }

    /**
     * Cloudflare's self-managed OAuth (FACTS §6). Cloudflare publishes no table from scope to permission group: the
     * scope names follow cloudflare/mcp {@code src/auth/scopes.ts}, and every grant below is inferred, so every scope
     * is marked unverified. A write scope is listed after the read scope for read permissions (narrowest first).
     */
    private static final OAuthProfile OAUTH = new OAuthProfile("https://dash.cloudflare.com", "/oauth2/auth",
            "/oauth2/token", "/oauth2/revoke", "oauth", List.of("offline_access"), scopesByPermission(),
            java.util.Set.of("account:read", "zone:read", "dns_records:read", "access:read", "workers_scripts:read",
                    "workers_routes:read", "page_rules:read", "lists:read", "firewall:read", "firewall:write",
                    "transform_rules:write"));

    private static Map<String, List<String>> scopesByPermission() {
        Map<String, List<String>> scopes = new java.util.LinkedHashMap<>();
        scopes.put("Account Settings Read", List.of("account:read"));
        scopes.put("Zone Read", List.of("zone:read"));
        scopes.put("Zone Settings Read", List.of("zone:read"));
        scopes.put("DNS Read", List.of("dns_records:read"));
        scopes.put("Access: Apps and Policies Read", List.of("access:read"));
        scopes.put("Workers Scripts Read", List.of("workers_scripts:read"));
        scopes.put("Workers Routes Read", List.of("workers_routes:read"));
        scopes.put("Page Rules Read", List.of("page_rules:read"));
        scopes.put("Transform Rules Read", List.of("page_rules:read", "transform_rules:write"));
        scopes.put("Transform Rules Write", List.of("transform_rules:write"));
        scopes.put("Dynamic URL Redirects Read", List.of("page_rules:read"));
        scopes.put("Account Filter Lists Read", List.of("lists:read"));
        scopes.put("Zone WAF Read", List.of("firewall:read", "firewall:write"));
        scopes.put("Account Rulesets Read", List.of("firewall:read", "firewall:write"));
        scopes.put("Account WAF Read", List.of("firewall:read", "firewall:write"));
        scopes.put("Zone WAF Write", List.of("firewall:write"));
        scopes.put("Account Rulesets Write", List.of("firewall:write"));
        scopes.put("Account WAF Write", List.of("firewall:write"));
        return scopes;
    }

    @Override
    public OAuthProfile oauth() {
        return OAUTH;
    }

    @Override
    public String verifySkillId() {
        return "cloudflare_verify_connection";
    }
}

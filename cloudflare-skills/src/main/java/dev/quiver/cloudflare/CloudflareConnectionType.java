package dev.quiver.cloudflare;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
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
            new AuthMethod("oauth", List.of("access_token"), Map.of("Authorization", "Bearer {access_token}")));

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
    public String requestIdHeader() {
        return "cf-ray";
    }

    /** The Global API key acts with every permission of its user: nothing to check it against. */
    @Override
    public List<String> unrestrictedAuthMethods() {
        return List.of("global_api_key");
    }

    @Override
    public String verifySkillId() {
        return "cloudflare_verify_connection";
    }
}

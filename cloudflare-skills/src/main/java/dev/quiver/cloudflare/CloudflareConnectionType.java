package dev.quiver.cloudflare;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
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
                    List.of("refresh_token", "expires_at", "client_id", "client_secret"),
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

    @Override
    public String verifySkillId() {
        return "cloudflare_verify_connection";
    }
}

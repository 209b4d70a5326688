package com.example.lantern;

import com.example.lantern.internal.Schemas;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.ResourceKind;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;

/**
 * Lantern connections: an API key sent in Lantern's own header, the organisation named by its URL, and OAuth-style
 * scopes as permissions. A connection file:
 *
 * <pre>{@code
 * {"id": "lantern-prod", "type": "lantern", "auth": {"method": "api_key", "key": "${env:LANTERN_KEY}"},
 *  "organization_url": "https://lantern.example/orgs/acme", "permissions": ["alerts:read", "hosts:isolate"]}
 * }</pre>
 */
@Extension
public class LanternConnectionType implements ConnectionType {

    public static final String ID = "lantern";
    /** Lantern grants scopes to a key within its organisation: there is no finer resource to name. */
    public static final String ORGANIZATION = "organization";

    public static final String ALERTS_READ = "alerts:read";
    public static final String ALERTS_WRITE = "alerts:write";
    public static final String HOSTS_READ = "hosts:read";
    public static final String HOSTS_ISOLATE = "hosts:isolate";

    private static final JsonNode SETTINGS = Schemas.load("connection-settings");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.lantern.example";
    }

    @Override
    public List<AuthMethod> authMethods() {
        return List.of(new AuthMethod("api_key", List.of("key"), Map.of("X-Lantern-Key", "{key}")));
    }

    @Override
    public List<ResourceKind> resourceKinds() {
        return List.of(ResourceKind.withoutId(ORGANIZATION));
    }

    @Override
    public List<PermissionGroup> permissionGroups() {
        return List.of(
                PermissionGroup.of(ALERTS_READ, ORGANIZATION),
                new PermissionGroup(ALERTS_WRITE, ORGANIZATION, List.of(), List.of(ALERTS_READ)),
                PermissionGroup.of(HOSTS_READ, ORGANIZATION),
                // Lantern's console calls the isolation scope "Host containment".
                new PermissionGroup(HOSTS_ISOLATE, ORGANIZATION, List.of("Host containment"), List.of(HOSTS_READ)));
    }

    @Override
    public JsonNode settingsSchema() {
        return SETTINGS;
    }

    @Override
    public String permissionRemediation(String connectionId, String grants) {
        return "In Lantern's console (Settings > API keys), give the key of connection '" + connectionId
                + "' the scopes: " + grants + ". Then list them in the connection's permissions.";
    }

    @Override
    public String requestIdHeader() {
        return "x-lantern-request-id";
    }
}

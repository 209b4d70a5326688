package dev.quiver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * A kind of connection a plugin's skills run on (a vendor), and everything vendor-specific about it: its settings,
 * how it authenticates, the kinds of resource it grants permissions on, its permission vocabulary and what to tell
 * a user who lacks a permission. The runner knows no vendor; this is how a plugin teaches it one.
 *
 * <p>A connection is a JSON object: {@code id}, {@code type} (this type's {@link #id()}), {@code auth}
 * ({@code method} and the fields of one of {@link #authMethods()}), optionally {@code permissions} (names from
 * {@link #permissionGroups()} the credential holds) and {@code base_url}; every other field is a setting of this
 * type, checked against {@link #settingsSchema()}.
 *
 * <p>Implementations are pf4j extensions, created once; every method must return the same value on every call.
 *
 * @since 1.0
 */
public interface ConnectionType extends ExtensionPoint {

    /** The connection's {@code type} value ({@code acme}); {@code [a-z][a-z0-9_]*}, unique among installed plugins. */
    String id();

    /** The API base URL used when a connection sets none; {@code https}. */
    String defaultBaseUrl();

    /** The authentication methods a connection of this type may use; at least one. */
    List<AuthMethod> authMethods();

    /**
     * The vendor's permission vocabulary. Skills' {@link PermissionRule}s and connections' permission lists are
     * checked against it; a skill naming a permission that is not here is refused from the catalogue.
     */
    List<PermissionGroup> permissionGroups();

    /**
     * The kinds of resource permissions are granted on; every {@link PermissionGroup#scope()} names one. The default
     * is a single kind {@code "credential"} without ids: permissions held by the credential, wherever it reaches.
     */
    default List<ResourceKind> resourceKinds() {
        return List.of(ResourceKind.withoutId("credential"));
    }

    /**
     * JSON Schema (draft 2020-12) of the connection's settings: the object of its fields other than {@code id},
     * {@code type}, {@code auth}, {@code permissions} and {@code base_url}. The default accepts no settings. The
     * settings hold no secret (they are stored and listed in clear).
     */
    default JsonNode settingsSchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * What to tell the user when the connection lacks permissions, in one or two sentences: where to grant them in
     * the vendor's console and any spelling the console uses differently.
     *
     * @param connectionId the connection's id
     * @param grants       what to grant, already phrased ({@code "repo:write on project 42; audit:read (credential)"})
     */
    default String permissionRemediation(String connectionId, String grants) {
        return "Grant the credential of connection '" + connectionId + "': " + grants
                + ". Then list the permissions in the connection's permissions.";
    }

    /**
     * The response header carrying the vendor's request id; the runner records its values with every execution.
     * {@code null} when the vendor has none.
     */
    default String requestIdHeader() {
        return null;
    }

    /**
     * Auth methods whose credential holds every permission of its owner, for which the permission gate cannot
     * decide and the runner warns instead (a legacy owner-wide key, say).
     */
    default List<String> unrestrictedAuthMethods() {
        return List.of();
    }

    /**
     * The id of the skill that verifies a connection of this type, which {@code connections test} runs. Its output
     * may hold {@code permissions.discovered} and {@code permissions.groups[].name}: the permissions the credential
     * was found to hold. {@code null} when the type has none.
     */
    default String verifySkillId() {
        return null;
    }

    /**
     * How connections of this type are connected by OAuth 2.0 ("click to connect"): the vendor's authorization
     * server and the scopes granting each permission. {@code null} (the default) when the type has no OAuth.
     *
     * @since 1.0
     */
    default OAuthProfile oauth() {
        return null;
    }
}

package dev.quiver.api;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * A kind of connection a plugin's skills run on (a vendor): how it authenticates, where its API lives and which
 * permission groups it knows. The runner knows no vendor; this is how a plugin teaches it one.
 */
public interface ConnectionType extends ExtensionPoint {

    /** The connection's {@code type} value ({@code cloudflare}). */
    String id();

    /** The API base URL used when a connection sets none. */
    String defaultBaseUrl();

    /** The authentication methods a connection of this type may use. */
    List<AuthMethod> authMethods();

    /**
     * The vendor's permission groups. Skills' {@link PermissionRule}s and connections' permission lists are checked
     * against it; a skill naming a group that is not here is rejected from the catalogue.
     */
    List<PermissionGroup> permissionGroups();

    /**
     * The response header carrying the vendor's request id ({@code cf-ray}); the runner records its values with
     * every execution. {@code null} when the vendor has none.
     */
    default String requestIdHeader() {
        return null;
    }

    /**
     * Auth methods whose credential holds every permission of its owner, for which the permission gate cannot
     * decide and the runner warns instead (Cloudflare's legacy Global API key).
     */
    default List<String> unrestrictedAuthMethods() {
        return List.of();
    }

    /**
     * The id of the skill that verifies a connection of this type, which {@code connections test} runs. Its output
     * may hold {@code permissions.discovered} and {@code permissions.groups[].name}: the groups the credential was
     * found to hold. {@code null} when the type has none.
     */
    default String verifySkillId() {
        return null;
    }
}

package dev.quiver.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * What a skill is, as the catalogue and its users see it.
 *
 * @param id             globally unique, {@code [a-z][a-z0-9_]*}, stable across versions ({@code acme_get_project})
 * @param title          a short human name
 * @param description    what the skill does and returns, for a playbook author
 * @param version        the skill's own version (semver)
 * @param access         whether the skill changes anything at the vendor
 * @param connectionType the {@link ConnectionType#id()} of the connections this skill runs on
 * @param inputSchema    JSON Schema (draft 2020-12) of the input
 * @param outputSchema   JSON Schema (draft 2020-12) of the output
 * @param permissions    every permission rule the skill may need; {@link Skill#requiredPermissions} picks from these
 * @since 1.0
 */
public record SkillDescriptor(
        String id,
        String title,
        String description,
        String version,
        Access access,
        String connectionType,
        JsonNode inputSchema,
        JsonNode outputSchema,
        List<PermissionRule> permissions) {

    public SkillDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(connectionType, "connectionType");
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(outputSchema, "outputSchema");
        permissions = List.copyOf(permissions);
    }

    /** Whether a skill reads or changes state at the vendor. */
    /** @since 1.0 */
    public enum Access {
        /** Reads only; safe to run from any playbook. */
        READ,
        /** Changes state at the vendor; the runner may restrict who runs it. */
        WRITE
    }
}

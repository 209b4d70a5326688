package dev.quiver.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * One typed action against a vendor's API, such as "list the audit events of an organisation".
 *
 * <p>Implementations are pf4j extensions, created once and shared: {@link #execute} may run on many threads at
 * once, so a skill keeps no per-call state in fields.
 *
 * @since 1.0
 */
public interface Skill extends ExtensionPoint {

    /**
     * What this skill is: id, schemas, access and the permission rules it may need. Called once, when the catalogue
     * is built; the result must not change afterwards.
     */
    SkillDescriptor descriptor();

    /**
     * The permissions this input needs on this connection, each rule bound to the resource it applies to.
     *
     * <p>Called after the input has passed the input schema and before anything runs; it must not perform I/O.
     * Every returned rule must be one of {@link SkillDescriptor#permissions()}. The default returns every declared
     * rule {@linkplain RequiredPermission#onDefault on its default resource}, which the runner binds as the rule's
     * {@link ResourceKind} declares (the input's field, else the connection's setting). A skill whose rules depend on
     * the input (a write to one kind of target or another, say) overrides it.
     *
     * @throws SkillException with {@link ErrorCode#INVALID_INPUT} when the input names no resource the rule needs
     */
    default List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection)
            throws SkillException {
        List<RequiredPermission> bound = new java.util.ArrayList<>();
        for (PermissionRule rule : descriptor().permissions()) {
            bound.add(RequiredPermission.onDefault(rule));
        }
        return List.copyOf(bound);
    }

    /**
     * Runs the skill. The input has passed the input schema; the returned value must pass the output schema or the
     * runner reports a plugin fault.
     *
     * <p>The call must respect {@link SkillContext#deadline()} and stop when its thread is interrupted. With
     * {@link SkillContext#dryRun()} a write skill sends no write and describes what it would do.
     *
     * @throws SkillException for every failure the caller should see as a typed error
     */
    JsonNode execute(JsonNode input, SkillContext context) throws SkillException;
}

package dev.quiver.runner.catalog;

import dev.quiver.gate.PermissionVocabulary;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.plugins.InFlight;
import dev.quiver.runner.schema.CompiledSchema;

/**
 * A skill admitted to the catalogue, with what the pipeline needs to run it: its schemas compiled once, its
 * connection type and that type's permission vocabulary.
 *
 * @param skill          the plugin's extension
 * @param descriptor     its descriptor, read once
 * @param pluginId       the plugin that contributed it
 * @param pluginVersion  that plugin's version
 * @param input          the compiled input schema
 * @param output         the compiled output schema
 * @param connectionType the connection type it runs on
 * @param vocabulary     that type's permission groups
 * @param inFlight       the executions running on its plugin
 */
public record CatalogEntry(
        Skill skill,
        SkillDescriptor descriptor,
        String pluginId,
        String pluginVersion,
        CompiledSchema input,
        CompiledSchema output,
        ConnectionType connectionType,
        PermissionVocabulary vocabulary,
        InFlight inFlight) {

    public String id() {
        return descriptor.id();
    }
}

package dev.quiver.runner.plugins;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.Simulator;
import dev.quiver.api.Skill;
import org.pf4j.PluginWrapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extensions one started plugin contributes, each created on its own so that one failing extension does
 * not hide the others.
 *
 * @param pluginId        the plugin's id
 * @param pluginVersion   its version
 * @param connectionTypes its connection types
 * @param skills          its skills
 * @param failures        extension classes that could not be created, with the reason
 * @param simulators      the simulators of its vendor's API it brings
 * @param inFlight        the executions running on this plugin
 */
public record Contribution(String pluginId, String pluginVersion, List<ConnectionType> connectionTypes,
                           List<Skill> skills, Map<String, String> failures, List<Simulator> simulators,
                           InFlight inFlight) {

    public Contribution(String pluginId, String pluginVersion, List<ConnectionType> connectionTypes,
                        List<Skill> skills, Map<String, String> failures) {
        this(pluginId, pluginVersion, connectionTypes, skills, failures, List.of(), new InFlight());
    }

    static Contribution collect(QuiverPluginManager manager, PluginWrapper plugin) {
        Map<String, String> failures = new LinkedHashMap<>();
        List<ConnectionType> types = create(manager, plugin, ConnectionType.class, failures);
        List<Skill> skills = create(manager, plugin, Skill.class, failures);
        List<Simulator> simulators = create(manager, plugin, Simulator.class, failures);
        return new Contribution(plugin.getPluginId(), plugin.getDescriptor().getVersion(), types, skills, failures,
                simulators, new InFlight());
    }

    private static <T> List<T> create(QuiverPluginManager manager, PluginWrapper plugin, Class<T> type,
                                      Map<String, String> failures) {
        List<T> created = new ArrayList<>();
        for (Class<? extends T> extension : manager.getExtensionClasses(type, plugin.getPluginId())) {
            try {
                created.add(type.cast(manager.getExtensionFactory().create(extension)));
            } catch (RuntimeException | LinkageError e) {
                failures.put(extension.getName(), PluginStager.reason(e));
            }
        }
        return created;
    }
}

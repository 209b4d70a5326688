package dev.quiver.runner.plugins;

import org.pf4j.PluginWrapper;

import java.nio.file.Path;

/**
 * One plugin loaded by its own pf4j manager from a private copy.
 *
 * @param manager      the pf4j manager that loaded it (and only it)
 * @param wrapper      pf4j's view of it
 * @param archive      the archive or folder it came from
 * @param work         the private copy's folder, deleted when it is unloaded; {@code null} when loaded in place
 * @param contribution what it contributes, once started
 */
public record LoadedPlugin(QuiverPluginManager manager, PluginWrapper wrapper, Path archive, Path work,
                           Contribution contribution) {

    public String id() {
        return wrapper.getPluginId();
    }

    public String version() {
        return wrapper.getDescriptor().getVersion();
    }

    LoadedPlugin at(Path kept) {
        return new LoadedPlugin(manager, wrapper, kept, work, contribution);
    }

    public PluginReport report(String state, String reason) {
        return new PluginReport(id(), version(), archive.toString(), state, reason);
    }

    public PluginRefused refusal(String state, String reason) {
        return new PluginRefused(report(state, reason));
    }
}

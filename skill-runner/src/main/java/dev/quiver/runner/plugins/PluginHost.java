package dev.quiver.runner.plugins;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plugins of one process: what the catalogue asks of them, over three parts that each do one job — the
 * {@link PluginFolder} (candidates, kept archives, removals, clean-up), the {@link PluginStager} (load, admit or
 * refuse with reasons) and the {@link PluginRegistry} (commit, retire, remove). A broken archive never stops the
 * others from loading.
 *
 * <p>Each plugin gets its own pf4j manager and is loaded from a private copy made for that load. So a plugin can be
 * installed, replaced or removed while others run: the old version's class loader is closed once the executions
 * running on it ({@link InFlight}) have finished, and no class of a newer version can come from an older one's
 * files. Plugins therefore cannot depend on each other; Quiver's plugins depend on the API only.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final PluginFolder folder;
    private final PluginStager stager;
    private final PluginRegistry registry;

    private PluginHost(String systemVersion, Path installDir, ArchiveLimits limits) {
        this.folder = new PluginFolder(installDir);
        this.stager = new PluginStager(systemVersion, limits, folder);
        this.registry = new PluginRegistry(folder);
    }

    /** Loads every plugin in {@code roots}; plugins are installed into the first. */
    public static PluginHost load(List<Path> roots, String systemVersion) {
        return load(roots, roots.isEmpty() ? null : roots.get(0), systemVersion);
    }

    /**
     * Loads and starts every plugin in {@code roots} (folders that do not exist are skipped); on a duplicate id the
     * first root's plugin wins.
     *
     * @param installDir    where {@link #commit} puts installed archives (the home's plugins folder)
     * @param systemVersion the plugin API version this runner provides, checked against each plugin's {@code Plugin-Requires}
     */
    public static PluginHost load(List<Path> roots, Path installDir, String systemVersion) {
        return load(roots, installDir, systemVersion, ArchiveLimits.DEFAULTS);
    }

    /**
     * Loads as {@link #load(List, Path, String)} does, with {@code limits} on how far an archive may expand (at
     * start and on every install).
     */
    public static PluginHost load(List<Path> roots, Path installDir, String systemVersion, ArchiveLimits limits) {
        PluginHost host = new PluginHost(systemVersion, installDir, limits);
        host.folder.narrow();
        host.folder.cleanAbandonedWork();
        host.loadFound(roots);
        return host;
    }

    private void loadFound(List<Path> roots) {
        Set<String> removed = folder.removedIds();
        for (Path root : roots) {
            for (Path candidate : PluginFolder.candidates(root)) {
                try {
                    // a duplicate id found at start is reported below rather than compared by version
                    LoadedPlugin plugin = stage(candidate, InstallPolicy.ANY_VERSION);
                    Optional<LoadedPlugin> first = registry.find(plugin.id());
                    if (first.isPresent()) {
                        problem(plugin.report("shadowed", "plugin " + plugin.id() + " is already loaded from "
                                + first.get().archive()));
                        discard(plugin);
                    } else if (removed.contains(plugin.id()) && !folder.installed(candidate)) {
                        problem(plugin.report("removed", "removed with 'plugins remove'; install it again to bring"
                                + " it back"));
                        discard(plugin);
                    } else {
                        registry.admitFound(plugin);
                    }
                } catch (PluginRefused refused) {
                    problem(refused.report());
                }
            }
        }
    }

    private void problem(PluginReport report) {
        registry.reportProblem(report);
        // A copy shadowed by the home's (after 'plugins install' in the build tree) or a removed plugin is what the
        // operator asked for: 'plugins' lists it, and every command warning about it would be noise.
        if (report.state().equals("shadowed") || report.state().equals("removed")) {
            log.info("plugin {} at {} not started ({}): {}", report.id(), report.path(), report.state(),
                    report.reason());
        } else {
            log.warn("plugin {} at {} not started ({}): {}", report.id(), report.path(), report.state(),
                    report.reason());
        }
    }

    /** A report per plugin archive or folder found, sorted by id. */
    public List<PluginReport> reports() {
        return registry.reports();
    }

    /** What each started plugin contributes, in load order. */
    public List<Contribution> contributions() {
        return registry.contributions();
    }

    /** The started plugin with this id. */
    public Optional<LoadedPlugin> find(String id) {
        return registry.find(id);
    }

    /**
     * Loads and starts {@code archive} from a private copy without making it visible: its contribution can be
     * checked before {@link #commit} or {@link #discard}.
     *
     * @throws PluginRefused with the reason when it is not a plugin, is too large, names itself wrongly, is not a
     *                       version {@code policy} allows, does not load or does not start
     */
    public LoadedPlugin stage(Path archive, InstallPolicy policy) throws PluginRefused {
        return stager.stage(archive, policy, registry::find);
    }

    /**
     * Makes a staged plugin visible and keeps its archive; the plugin it replaces is retired.
     *
     * @return the plugin it replaced, if any
     */
    public Optional<LoadedPlugin> commit(LoadedPlugin staged) throws IOException {
        return registry.commit(staged);
    }

    /** Unloads a staged plugin that was not committed. */
    public void discard(LoadedPlugin staged) {
        PluginStager.unload(staged.manager(), staged.work());
    }

    /**
     * Removes a plugin (see {@link PluginRegistry#remove}).
     *
     * @return the removed plugin and a future that completes when it is unloaded; empty when none has this id
     */
    public Optional<PluginRemoval> remove(String id) throws IOException {
        return registry.remove(id);
    }

    /** Unloads every plugin, waiting briefly for those being retired, and deletes this process's private copies. */
    @Override
    public void close() {
        registry.close();
        folder.deleteWork();
    }
}

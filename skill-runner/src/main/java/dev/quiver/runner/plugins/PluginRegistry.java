package dev.quiver.runner.plugins;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The started plugins, by id, and the archives that did not start, with their reasons. A staged plugin becomes
 * visible here on {@link #commit}; a replaced or removed one is <em>retired</em>: it admits no new execution and is
 * unloaded when its last running one finishes ({@link InFlight}).
 *
 * <p>Thread-safe: changes are serialised; readers get snapshots.
 */
final class PluginRegistry {

    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    private final PluginFolder folder;
    private final Map<String, LoadedPlugin> loaded = new LinkedHashMap<>();
    private final List<PluginReport> problems = new ArrayList<>();
    private final List<CompletableFuture<Void>> retiring = new ArrayList<>();

    PluginRegistry(PluginFolder folder) {
        this.folder = folder;
    }

    /** A report per plugin archive or folder found, sorted by id. */
    synchronized List<PluginReport> reports() {
        List<PluginReport> reports = new ArrayList<>(problems);
        loaded.values().forEach(p -> reports.add(p.report("started", null)));
        reports.sort(Comparator.comparing(PluginReport::id));
        return reports;
    }

    /** What each started plugin contributes, in load order. */
    synchronized List<Contribution> contributions() {
        return loaded.values().stream().map(LoadedPlugin::contribution).toList();
    }

    synchronized Optional<LoadedPlugin> find(String id) {
        return Optional.ofNullable(loaded.get(id));
    }

    /** At start: a plugin found in a plugins folder becomes visible as it is (its archive stays where it is). */
    synchronized void admitFound(LoadedPlugin plugin) {
        loaded.put(plugin.id(), plugin);
    }

    /** At start: an archive that was not admitted, kept so that {@code plugins} can say why. */
    synchronized void reportProblem(PluginReport report) {
        problems.add(report);
    }

    /**
     * Makes a staged plugin visible, replacing the one with its id, and keeps its archive in the install folder so
     * that it loads on the next start too. The replaced plugin is retired.
     *
     * @return the plugin it replaced, if any
     */
    synchronized Optional<LoadedPlugin> commit(LoadedPlugin staged) throws IOException {
        var kept = folder.keep(staged);
        LoadedPlugin visible = staged.at(kept);
        LoadedPlugin previous = loaded.put(visible.id(), visible);
        problems.removeIf(p -> p.id().equals(visible.id()));
        folder.forgetRemoved(visible.id());
        if (previous != null) {
            if (folder.installed(previous.archive()) && !previous.archive().equals(kept)) {
                Files.deleteIfExists(previous.archive());
            }
            retire(previous);
        }
        return Optional.ofNullable(previous);
    }

    /**
     * Removes a plugin: its skills become unavailable at once, its archive leaves the install folder (or, when it
     * lives elsewhere, is listed as removed so that it stays so after a restart), and it is retired.
     */
    synchronized Optional<PluginRemoval> remove(String id) throws IOException {
        LoadedPlugin plugin = loaded.remove(id);
        if (plugin == null) {
            return Optional.empty();
        }
        if (folder.installed(plugin.archive())) {
            Files.deleteIfExists(plugin.archive());
        } else {
            folder.rememberRemoved(id);
        }
        return Optional.of(new PluginRemoval(plugin, retire(plugin)));
    }

    private CompletableFuture<Void> retire(LoadedPlugin plugin) {
        CompletableFuture<Void> unloaded = plugin.contribution().inFlight().retire()
                .thenRunAsync(() -> PluginStager.unload(plugin.manager(), plugin.work()));
        synchronized (retiring) {
            retiring.removeIf(CompletableFuture::isDone);
            retiring.add(unloaded);
        }
        return unloaded;
    }

    /** Unloads every plugin, waiting briefly for those being retired. */
    void close() {
        List<LoadedPlugin> all;
        synchronized (this) {
            all = new ArrayList<>(loaded.values());
            loaded.clear();
        }
        all.forEach(p -> PluginStager.unload(p.manager(), p.work()));
        synchronized (retiring) {
            try {
                CompletableFuture.allOf(retiring.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("plugins still running at shutdown: {}", e.toString());
            }
        }
    }
}

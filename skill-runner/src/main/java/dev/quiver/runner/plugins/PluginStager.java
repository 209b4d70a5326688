package dev.quiver.runner.plugins;

import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads one archive with its own pf4j manager from a private copy and starts it, or refuses it with the reason
 * (not an archive, too large, no descriptor, a wrong id or version, a version the policy does not allow, a class
 * missing, {@code Plugin-Requires} not met, failed to start). A staged plugin is visible to nobody until the
 * {@link PluginRegistry} commits it; a refused one leaves nothing loaded and no copy behind.
 */
final class PluginStager {

    private static final Logger log = LoggerFactory.getLogger(PluginStager.class);

    private final String systemVersion;
    private final ArchiveLimits limits;
    private final PluginFolder folder;

    PluginStager(String systemVersion, ArchiveLimits limits, PluginFolder folder) {
        this.systemVersion = systemVersion;
        this.limits = limits;
        this.folder = folder;
    }

    /**
     * Loads and starts {@code archive}. What the archive says of itself is checked before any of its code runs: its
     * size as it expands ({@link ArchiveLimits}), its id and version ({@link PluginIdentity}), and whether
     * {@code policy} lets that version replace {@code started}'s plugin of that id.
     */
    LoadedPlugin stage(Path archive, InstallPolicy policy, Function<String, Optional<LoadedPlugin>> started)
            throws PluginRefused {
        String name = archive.getFileName().toString();
        if (!Files.isDirectory(archive)) {
            try {
                Archives.checkReadable(archive);
            } catch (IOException e) {
                throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                        "not a plugin archive: " + name + " is not a readable zip or jar (" + e.getMessage() + ")"));
            }
        }
        Path work = folder.workFor(archive);
        QuiverPluginManager manager = null;
        try {
            Path loadPath = work == null ? archive : Archives.privateCopy(archive, work, limits);
            manager = new QuiverPluginManager(List.of(loadPath.getParent()), systemVersion);
            PluginDescriptor descriptor = describe(manager, loadPath, archive);
            PluginIdentity.check(descriptor, archive);
            policy.check(descriptor.getPluginId(), descriptor.getVersion(), started.apply(descriptor.getPluginId()),
                    archive);
            String id = load(manager, loadPath, archive);
            PluginWrapper plugin = manager.getPlugin(id);
            LoadedPlugin staged = new LoadedPlugin(manager, plugin, archive, work, null);
            if (plugin.getPluginState() == PluginState.DISABLED) {
                throw staged.refusal("disabled", plugin.getFailedException() == null ? "disabled by the operator"
                        : requiresReason(plugin.getDescriptor(), systemVersion));
            }
            String missingClass = missingPluginClass(plugin);
            if (missingClass != null) {
                throw staged.refusal("failed", missingClass);
            }
            manager.startPlugin(id);
            if (plugin.getPluginState() != PluginState.STARTED) {
                throw staged.refusal("failed", "failed to start: " + reason(plugin.getFailedException()));
            }
            return new LoadedPlugin(manager, plugin, archive, work, Contribution.collect(manager, plugin));
        } catch (PluginRefused refused) {
            unload(manager, work);
            throw refused;
        } catch (ArchiveLimits.Exceeded e) {
            unload(manager, work);
            throw e.refusal(archive);
        } catch (IOException e) {
            unload(manager, work);
            throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                    "cannot read the archive: " + e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            unload(manager, work);
            throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed", reason(e)));
        }
    }

    /** Unloads a plugin (staged or retired) and deletes its private copy. */
    static void unload(QuiverPluginManager manager, Path work) {
        if (manager != null) {
            try {
                manager.unloadPlugins(); // not stopPlugins(): it fails in pf4j 3.15.0 (pf4j#656)
            } catch (RuntimeException e) {
                log.warn("unloading a plugin: {}", e.toString());
            }
        }
        Archives.deleteTree(work);
    }

    private static PluginDescriptor describe(QuiverPluginManager manager, Path loadPath, Path archive)
            throws PluginRefused {
        try {
            return manager.describe(loadPath);
        } catch (RuntimeException | LinkageError e) {
            throw notLoaded(e, archive);
        }
    }

    private static String load(QuiverPluginManager manager, Path loadPath, Path archive) throws PluginRefused {
        try {
            String id = manager.loadPlugin(loadPath);
            if (id == null) {
                throw new IllegalStateException("pf4j loaded nothing");
            }
            return id;
        } catch (RuntimeException | LinkageError e) {
            throw notLoaded(e, archive);
        }
    }

    private static PluginRefused notLoaded(Throwable e, Path archive) {
        String reason = String.valueOf(e.getMessage()).startsWith("No PluginDescriptorFinder")
                || String.valueOf(e.getMessage()).contains("Cannot find the manifest")
                ? "no plugin descriptor: neither plugin.properties nor a manifest with Plugin-Id"
                : reason(e);
        return new PluginRefused(new PluginReport(archive.getFileName().toString(), null, archive.toString(),
                "failed", reason));
    }

    private static String missingPluginClass(PluginWrapper plugin) {
        String className = plugin.getDescriptor().getPluginClass();
        if (className == null || className.isBlank() || className.equals("org.pf4j.Plugin")) {
            return null;
        }
        try {
            Class.forName(className, false, plugin.getPluginClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "plugin class " + className + " is not in the archive (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String requiresReason(PluginDescriptor descriptor, String systemVersion) {
        return "requires plugin API " + descriptor.getRequires() + "; this runner provides plugin API " + systemVersion;
    }

    static String reason(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? message : message + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }
}

package dev.quiver.runner.plugins;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.Skill;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Loads the plugins of one or more plugins folders through pf4j and reports, for each archive, whether it started
 * and, when not, why. A broken archive never stops the others from loading.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final QuiverPluginManager manager;
    private final List<PluginReport> reports;
    private final List<Contribution> contributions;

    private PluginHost(QuiverPluginManager manager, List<PluginReport> reports, List<Contribution> contributions) {
        this.manager = manager;
        this.reports = List.copyOf(reports);
        this.contributions = List.copyOf(contributions);
    }

    /**
     * Loads and starts every plugin in {@code roots} (folders that do not exist are skipped).
     *
     * @param systemVersion Quiver's version, checked against each plugin's {@code Plugin-Requires}
     */
    public static PluginHost load(List<Path> roots, String systemVersion) {
        List<Path> existing = roots.stream().filter(Files::isDirectory).toList();
        QuiverPluginManager manager = new QuiverPluginManager(existing, systemVersion);
        Map<Path, PluginReport> problems = new LinkedHashMap<>();
        if (!existing.isEmpty()) {
            existing.forEach(root -> findBrokenArchives(root, problems));
            for (Path path : manager.pluginPaths()) {
                if (problems.containsKey(path.toAbsolutePath())) {
                    continue;
                }
                try {
                    manager.loadPluginFromPath(path);
                } catch (RuntimeException | LinkageError e) {
                    String reason = String.valueOf(e.getMessage()).startsWith("No PluginDescriptorFinder")
                            ? "no plugin descriptor: neither plugin.properties nor a manifest with Plugin-Id"
                            : reason(e);
                    problems.put(path.toAbsolutePath(), failed(path.getFileName().toString(), null, path, reason));
                }
            }
            manager.resolvePlugins();
        }

        List<PluginReport> reports = new ArrayList<>(problems.values());
        for (PluginWrapper plugin : manager.getUnresolvedPlugins()) {
            reports.add(report(plugin, "failed", "unresolved dependencies: " + plugin.getDescriptor().getDependencies()));
        }
        for (PluginWrapper plugin : manager.getResolvedPlugins()) {
            String missingClass = missingPluginClass(plugin);
            if (plugin.getPluginState() == PluginState.DISABLED) {
                reports.add(report(plugin, "disabled", plugin.getFailedException() == null ? "disabled by the operator"
                        : requiresReason(plugin.getDescriptor(), manager.getSystemVersion())));
            } else if (missingClass != null) {
                plugin.setPluginState(PluginState.DISABLED);
                reports.add(report(plugin, "failed", missingClass));
            }
        }
        manager.startPlugins();

        List<Contribution> contributions = new ArrayList<>();
        for (PluginWrapper plugin : manager.getResolvedPlugins()) {
            if (plugin.getPluginState() == PluginState.FAILED) {
                reports.add(report(plugin, "failed", "failed to start: " + reason(plugin.getFailedException())));
            } else if (plugin.getPluginState() == PluginState.STARTED) {
                Contribution contribution = Contribution.collect(manager, plugin);
                contributions.add(contribution);
                reports.add(report(plugin, "started", null));
            }
        }
        reports.sort(Comparator.comparing(PluginReport::id));
        for (PluginReport report : reports) {
            if (!report.started()) {
                log.warn("plugin {} at {} not started ({}): {}", report.id(), report.path(), report.state(), report.reason());
            }
        }
        return new PluginHost(manager, reports, contributions);
    }

    /** A report per plugin archive or folder found, sorted by id. */
    public List<PluginReport> reports() {
        return reports;
    }

    /** What each started plugin contributes, in start order. */
    public List<Contribution> contributions() {
        return contributions;
    }

    /** Stops and unloads every plugin (not pf4j's stopPlugins(), which fails in 3.15.0: pf4j#656). */
    @Override
    public void close() {
        manager.unloadPlugins();
    }

    /**
     * The extensions one started plugin contributes, each created on its own so that one failing extension does
     * not hide the others.
     *
     * @param pluginId        the plugin's id
     * @param pluginVersion   its version
     * @param connectionTypes its connection types
     * @param skills          its skills
     * @param failures        extension classes that could not be created, with the reason
     */
    public record Contribution(String pluginId, String pluginVersion, List<ConnectionType> connectionTypes,
                               List<Skill> skills, Map<String, String> failures) {

        static Contribution collect(QuiverPluginManager manager, PluginWrapper plugin) {
            Map<String, String> failures = new LinkedHashMap<>();
            List<ConnectionType> types = create(manager, plugin, ConnectionType.class, failures);
            List<Skill> skills = create(manager, plugin, Skill.class, failures);
            return new Contribution(plugin.getPluginId(), plugin.getDescriptor().getVersion(), types, skills, failures);
        }

        private static <T> List<T> create(QuiverPluginManager manager, PluginWrapper plugin, Class<T> type,
                                          Map<String, String> failures) {
            List<T> created = new ArrayList<>();
            for (Class<? extends T> extension : manager.getExtensionClasses(type, plugin.getPluginId())) {
                try {
                    created.add(type.cast(manager.getExtensionFactory().create(extension)));
                } catch (RuntimeException | LinkageError e) {
                    failures.put(extension.getName(), reason(e));
                }
            }
            return created;
        }
    }

    private static void findBrokenArchives(Path root, Map<Path, PluginReport> problems) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
            for (Path file : files) {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isRegularFile(file) && (name.endsWith(".zip") || name.endsWith(".jar"))) {
                    try (ZipFile ignored = new ZipFile(file.toFile())) {
                        // readable archive: pf4j takes it from here
                    } catch (IOException e) {
                        problems.put(file.toAbsolutePath(), failed(file.getFileName().toString(), null, file,
                                "not a plugin archive: " + file.getFileName() + " is not a readable zip or jar ("
                                        + e.getMessage() + ")"));
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot list plugins folder {}: {}", root, e.getMessage());
        }
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
        return "requires Quiver " + descriptor.getRequires() + "; this is Quiver " + systemVersion;
    }

    private static PluginReport report(PluginWrapper plugin, String state, String reason) {
        return new PluginReport(plugin.getPluginId(), plugin.getDescriptor().getVersion(),
                plugin.getPluginPath().toString(), state, reason);
    }

    private static PluginReport failed(String id, String version, Path path, String reason) {
        return new PluginReport(id, version, path.toString(), "failed", reason);
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

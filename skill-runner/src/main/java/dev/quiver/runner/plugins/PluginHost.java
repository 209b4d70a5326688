package dev.quiver.runner.plugins;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.Simulator;
import dev.quiver.api.Skill;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads plugins through pf4j and reports, for each archive, whether it started and, when not, why. A broken archive
 * never stops the others from loading.
 *
 * <p>Each plugin gets its own pf4j manager and is loaded from a private copy made for that load. So a plugin can be
 * installed, replaced or removed while others run: the old version's class loader is closed once the executions
 * running on it ({@link InFlight}) have finished, and no class of a newer version can come from an older one's
 * files. Plugins therefore cannot depend on each other; Quiver's plugins depend on the API only.
 *
 * <p>Thread-safe: changes are serialised; readers get snapshots.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    private static final String REMOVED = "removed.txt";
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final String systemVersion;
    private final ArchiveLimits limits;
    private final Path installDir;
    private final Path workDir;
    private final Map<String, LoadedPlugin> loaded = new LinkedHashMap<>();
    private final List<PluginReport> problems = new ArrayList<>();
    private final List<CompletableFuture<Void>> retiring = new ArrayList<>();

    private PluginHost(String systemVersion, Path installDir, ArchiveLimits limits) {
        this.systemVersion = systemVersion;
        this.limits = limits;
        this.installDir = installDir;
        this.workDir = installDir == null ? null : installDir.resolve(".work").resolve(ProcessHandle.current().pid()
                + "-" + Long.toHexString(System.nanoTime()));
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
        host.narrowInstallFolder();
        host.cleanAbandonedWork();
        Set<String> removed = host.removedIds();
        for (Path root : roots) {
            for (Path candidate : candidates(root)) {
                try {
                    // a duplicate id found at start is reported below rather than compared by version
                    LoadedPlugin plugin = host.stage(candidate, InstallPolicy.ANY_VERSION);
                    LoadedPlugin first = host.loaded.get(plugin.id());
                    if (first != null) {
                        host.problems.add(plugin.report("shadowed", "plugin " + plugin.id() + " is already loaded"
                                + " from " + first.archive()));
                        host.discard(plugin);
                    } else if (removed.contains(plugin.id()) && !host.installed(candidate)) {
                        host.problems.add(plugin.report("removed", "removed with 'plugins remove'; install it again"
                                + " to bring it back"));
                        host.discard(plugin);
                    } else {
                        host.loaded.put(plugin.id(), plugin);
                    }
                } catch (PluginRefused refused) {
                    host.problems.add(refused.report());
                }
            }
        }
        for (PluginReport report : host.problems) {
            // A copy shadowed by the home's (after 'plugins install' in the build tree) or a removed plugin is what
            // the operator asked for: 'plugins' lists it, and every command warning about it would be noise.
            if (report.state().equals("shadowed") || report.state().equals("removed")) {
                log.info("plugin {} at {} not started ({}): {}", report.id(), report.path(), report.state(),
                        report.reason());
            } else {
                log.warn("plugin {} at {} not started ({}): {}", report.id(), report.path(), report.state(),
                        report.reason());
            }
        }
        return host;
    }

    /** A report per plugin archive or folder found, sorted by id. */
    public synchronized List<PluginReport> reports() {
        List<PluginReport> reports = new ArrayList<>(problems);
        loaded.values().forEach(p -> reports.add(p.report("started", null)));
        reports.sort(Comparator.comparing(PluginReport::id));
        return reports;
    }

    /** What each started plugin contributes, in load order. */
    public synchronized List<Contribution> contributions() {
        return loaded.values().stream().map(LoadedPlugin::contribution).toList();
    }

    /** The started plugin with this id. */
    public synchronized Optional<LoadedPlugin> find(String id) {
        return Optional.ofNullable(loaded.get(id));
    }

    /**
     * Loads and starts {@code archive} from a private copy without making it visible: its contribution can be
     * checked before {@link #commit} or {@link #discard}. What the archive says of itself is checked before any of
     * its code runs: its size as it expands ({@link ArchiveLimits}), its id and version ({@link PluginIdentity}),
     * and whether {@code policy} lets that version replace the started one.
     *
     * @throws PluginRefused with the reason when it is not a plugin, is too large, names itself wrongly, is not a
     *                       version {@code policy} allows, does not load or does not start
     */
    public LoadedPlugin stage(Path archive, InstallPolicy policy) throws PluginRefused {
        String name = archive.getFileName().toString();
        if (!Files.isDirectory(archive)) {
            try {
                Archives.checkReadable(archive);
            } catch (IOException e) {
                throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                        "not a plugin archive: " + name + " is not a readable zip or jar (" + e.getMessage() + ")"));
            }
        }
        Path work = workDir == null ? null : workDir.resolve(Archives.stem(archive) + "-" + LOADS.incrementAndGet());
        QuiverPluginManager manager = null;
        try {
            Path loadPath = work == null ? archive : Archives.privateCopy(archive, work, limits);
            manager = new QuiverPluginManager(List.of(loadPath.getParent()), systemVersion);
            PluginDescriptor descriptor = describe(manager, loadPath, archive);
            PluginIdentity.check(descriptor, archive);
            policy.check(descriptor.getPluginId(), descriptor.getVersion(), find(descriptor.getPluginId()), archive);
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

    /**
     * Makes a staged plugin visible, replacing the loaded plugin with its id, and keeps its archive in the install
     * folder so that it loads on the next start too. The replaced plugin is retired: unloaded once its running
     * executions have finished.
     *
     * @return the plugin it replaced, if any
     */
    public synchronized Optional<LoadedPlugin> commit(LoadedPlugin staged) throws IOException {
        Path kept = keep(staged);
        LoadedPlugin visible = staged.at(kept);
        LoadedPlugin previous = loaded.put(visible.id(), visible);
        problems.removeIf(p -> p.id().equals(visible.id()));
        forgetRemoved(visible.id());
        if (previous != null) {
            if (installed(previous.archive()) && !previous.archive().equals(kept)) {
                Files.deleteIfExists(previous.archive());
            }
            retire(previous);
        }
        return Optional.ofNullable(previous);
    }

    /** Unloads a staged plugin that was not committed. */
    public void discard(LoadedPlugin staged) {
        unload(staged.manager(), staged.work());
    }

    /**
     * Removes a plugin: its skills become unavailable at once, its archive leaves the install folder (or, when it
     * lives elsewhere, is listed as removed so that it stays so after a restart), and it is unloaded once its
     * running executions have finished.
     *
     * @return the removed plugin and a future that completes when it is unloaded; empty when none has this id
     */
    public synchronized Optional<Removal> remove(String id) throws IOException {
        LoadedPlugin plugin = loaded.remove(id);
        if (plugin == null) {
            return Optional.empty();
        }
        if (installed(plugin.archive())) {
            Files.deleteIfExists(plugin.archive());
        } else {
            rememberRemoved(id);
        }
        return Optional.of(new Removal(plugin, retire(plugin)));
    }

    /** A removal under way: {@code unloaded} completes once the plugin's last execution has finished. */
    public record Removal(LoadedPlugin plugin, CompletableFuture<Void> unloaded) {
    }

    private CompletableFuture<Void> retire(LoadedPlugin plugin) {
        CompletableFuture<Void> unloaded = plugin.contribution().inFlight().retire()
                .thenRunAsync(() -> unload(plugin.manager(), plugin.work()));
        synchronized (retiring) {
            retiring.removeIf(CompletableFuture::isDone);
            retiring.add(unloaded);
        }
        return unloaded;
    }

    private static void unload(QuiverPluginManager manager, Path work) {
        if (manager != null) {
            try {
                manager.unloadPlugins(); // not stopPlugins(): it fails in pf4j 3.15.0 (pf4j#656)
            } catch (RuntimeException e) {
                log.warn("unloading a plugin: {}", e.toString());
            }
        }
        Archives.deleteTree(work);
    }

    private Path keep(LoadedPlugin staged) throws IOException {
        if (installDir == null || installed(staged.archive())) {
            return staged.archive();
        }
        if (Files.isDirectory(staged.archive())) {
            throw new IOException("only a zip or jar can be installed, not a folder");
        }
        OwnerOnly.createDirectories(installDir);
        // The id and version passed PluginIdentity when staged; this only makes sure no name ever leaves the folder.
        Path target = installDir.resolve(staged.id() + "-" + staged.version()
                + (Archives.isJar(staged.archive()) ? ".jar" : ".zip"));
        if (!target.normalize().getParent().equals(installDir.normalize())) {
            throw new IOException("the archive's name " + target.getFileName() + " is not a plain file name");
        }
        Path temp = installDir.resolve(".incoming-" + target.getFileName() + "-" + LOADS.incrementAndGet());
        try {
            OwnerOnly.copy(staged.archive(), temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private boolean installed(Path archive) {
        return installDir != null && archive.toAbsolutePath().normalize().getParent()
                .equals(installDir.toAbsolutePath().normalize());
    }

    private Set<String> removedIds() {
        Path file = installDir == null ? null : installDir.resolve(REMOVED);
        try {
            return file != null && Files.isRegularFile(file)
                    ? new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList())
                    : new LinkedHashSet<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void rememberRemoved(String id) throws IOException {
        Set<String> ids = removedIds();
        if (ids.add(id)) {
            writeRemoved(ids);
        }
    }

    private void forgetRemoved(String id) throws IOException {
        Set<String> ids = removedIds();
        if (ids.remove(id)) {
            writeRemoved(ids);
        }
    }

    private void writeRemoved(Set<String> ids) throws IOException {
        Files.createDirectories(installDir);
        dev.quiver.runner.files.AtomicFiles.write(installDir.resolve(REMOVED), ("# plugins removed with 'plugins"
                + " remove' that live outside this folder\n" + String.join("\n", ids) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    // Archives are code the service runs: an older Quiver left the folder readable by others (umask); narrow it.
    private void narrowInstallFolder() {
        if (installDir == null) {
            return;
        }
        for (Path dir : List.of(installDir, installDir.resolve(".work"), installDir.resolve(".uploads"))) {
            try {
                if (Files.isDirectory(dir)) {
                    dev.quiver.runner.files.AtomicFiles.ownerOnly(dir);
                }
            } catch (IOException e) {
                log.warn("cannot make {} owner-only: {}", dir, e.toString());
            }
        }
    }

    // Private copies of processes that are gone (a crash leaves them behind).
    private void cleanAbandonedWork() {
        if (installDir == null || !Files.isDirectory(installDir.resolve(".work"))) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(installDir.resolve(".work"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                int dash = name.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? name.substring(0, dash) : name);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException ignored) {
                    // not ours: remove
                }
                Archives.deleteTree(dir);
            }
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", installDir.resolve(".work"), e.toString());
        }
    }

    /** The archives and plugin folders in a plugins folder, by name; pf4j's old expansions of a zip are skipped. */
    private static List<Path> candidates(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isRegularFile(file) && (Archives.isZip(file) || Archives.isJar(file))) {
                    found.add(file);
                } else if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("plugin.properties"))
                        && !Files.exists(root.resolve(name + ".zip"))) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list plugins folder {}: {}", root, e.getMessage());
        }
        found.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return found;
    }

    /** Unloads every plugin, waiting briefly for those being retired. */
    @Override
    public void close() {
        List<LoadedPlugin> all;
        synchronized (this) {
            all = new ArrayList<>(loaded.values());
            loaded.clear();
        }
        all.forEach(p -> unload(p.manager(), p.work()));
        synchronized (retiring) {
            try {
                CompletableFuture.allOf(retiring.toArray(CompletableFuture[]::new))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("plugins still running at shutdown: {}", e.toString());
            }
        }
        Archives.deleteTree(workDir);
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
                    failures.put(extension.getName(), reason(e));
                }
            }
            return created;
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

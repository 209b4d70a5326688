package dev.quiver.runner.runtime;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.metrics.ExecutionMeters;
import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.records.ExecutionRecorder;
import dev.quiver.runner.records.LegacyImport;
import dev.quiver.runner.records.RecordPruner;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.records.RecordsSettings;
import dev.quiver.runner.records.SqliteNativeLibrary;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.ConnectionReader;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.plugins.ArchiveLimits;
import dev.quiver.runner.plugins.PluginHost;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.store.ConnectionStore;
import dev.quiver.runner.store.FileCache;
import dev.quiver.runner.store.MasterKey;
import dev.quiver.runner.transport.TransportFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One running Quiver: its home folder, the plugins loaded from its plugins folders, the catalogue built from them
 * and the pipeline that runs skills. Build it once per process; close it to unload the plugins.
 */
public final class QuiverRuntime implements AutoCloseable {

    private final Path home;
    private final LiveCatalog catalog;
    private final ConnectionReader connectionReader;
    private final TransportFactory transports;
    private final ExecutionPipeline pipeline;
    private final ConnectionStore connections;
    private final ApiKeyStore keys;
    private final OnFirstUse<OpenRecords> records;
    private final RecordsSettings recordsSettings;
    private final ExecutionMeters metrics;
    private final dev.quiver.runner.oauth.OAuthFlow oauth;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final FileCache<Connection> connectionFiles = new FileCache<>();

    private QuiverRuntime(Path home, LiveCatalog catalog, ConnectionReader connectionReader,
                          TransportFactory transports, Function<String, String> environment,
                          List<ExecutionObserver> extraObservers, RecordsSettings recordsSettings) {
        this.home = home;
        this.connections = new ConnectionStore(home.resolve("connections"), new OnFirstUse<>(() -> {
            try {
                return MasterKey.load(home, environment);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the master key in " + home, e);
            }
        }), connectionReader);
        this.catalog = catalog;
        this.connectionReader = connectionReader;
        this.transports = transports;
        this.keys = new ApiKeyStore(home);
        this.recordsSettings = recordsSettings;
        this.records = new OnFirstUse<>(() -> OpenRecords.open(home, recordsSettings));
        this.metrics = new ExecutionMeters(transports.traffic(), () -> catalog.plugins().contributions().size());
        List<ExecutionObserver> observers = new ArrayList<>(List.of(new ExecutionRecorder(this::records), metrics));
        observers.addAll(extraObservers);
        this.pipeline = new ExecutionPipeline(catalog, this::connection, transports, observers);
        this.oauth = new dev.quiver.runner.oauth.OAuthFlow(catalog::get, connections,
                dev.quiver.runner.oauth.OAuthClientSettings.from(environment), Clock.systemUTC(),
                callerId -> callerId.equals(Caller.OPERATOR.id()) || keys.keys().stream().anyMatch(
                        key -> key.id().equals(callerId) && key.active() && key.role() == Role.ADMIN));
        transports.renewWith(oauth::renew);  // a 401 on an OAuth connection: refresh once, send again once
    }

    /**
     * The execution records and their pruner, opened together: opening costs a start its SQLite native library, the
     * schema check and the legacy-import check (about 0.1 s), which a command that runs no skill never needs.
     */
    private record OpenRecords(RecordStore store, RecordPruner pruner) {

        static OpenRecords open(Path home, RecordsSettings settings) {
            if (!settings.postgres()) {
                SqliteNativeLibrary.useCopyIn(home.resolve("lib"));
            }
            RecordStore store = RecordStore.open(settings.url(), settings.maxJsonBytes());
            try {
                LegacyImport.run(home, store, Clock.systemUTC());
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return new OpenRecords(store, new RecordPruner(store, settings.retention(), settings.maxRows(),
                    Clock.systemUTC()).schedule(Duration.ofSeconds(30), Duration.ofHours(1)));
        }

        void close() {
            pruner.close();
            store.close();
        }
    }

    /** When a runtime opens its execution records. */
    public enum RecordsOpening {
        /** While it starts: a database that cannot be opened fails the start (a command that runs skills). */
        AT_START,
        /** When they are first used: an execution, or {@link #records()} (a command that only lists or changes). */
        ON_FIRST_USE
    }

    /** "Click to connect": OAuth connects, configured from the environment. */
    public dev.quiver.runner.oauth.OAuthFlow oauth() {
        return oauth;
    }

    /**
     * Starts Quiver on {@code home} with plugins from {@code pluginRoots}.
     *
     * @param environment environment variables, for {@code ${env:NAME}} secret references
     */
    public static QuiverRuntime start(Path home, List<Path> pluginRoots, Function<String, String> environment) {
        return start(home, pluginRoots, environment, List.of());
    }

    /**
     * Starts Quiver as {@link #start(Path, List, Function)} does, with more observers of every execution (after
     * the records and the metrics): structured logs, for one.
     */
    public static QuiverRuntime start(Path home, List<Path> pluginRoots, Function<String, String> environment,
                                      List<ExecutionObserver> observers) {
        return start(home, pluginRoots, environment, observers, RecordsSettings.of(home, null, environment));
    }

    /**
     * Starts Quiver as {@link #start(Path, List, Function, List)} does, with its execution records where
     * {@code records} says (on first start, records of earlier versions in {@code <home>/executions} are imported).
     */
    public static QuiverRuntime start(Path home, List<Path> pluginRoots, Function<String, String> environment,
                                      List<ExecutionObserver> observers, RecordsSettings records) {
        return start(home, pluginRoots, environment, observers, records, RecordsOpening.AT_START);
    }

    /**
     * Starts Quiver as {@link #start(Path, List, Function, List, RecordsSettings)} does, opening the records when
     * {@code opening} says.
     */
    public static QuiverRuntime start(Path home, List<Path> pluginRoots, Function<String, String> environment,
                                      List<ExecutionObserver> observers, RecordsSettings records,
                                      RecordsOpening opening) {
        createOwnerOnly(home);
        createOwnerOnly(home.resolve("plugins"));
        JsonSchemas schemas = JsonSchemas.create();
        // Plugins are checked against the plugin API's version (their Plugin-Requires), not Quiver's release.
        PluginHost host = PluginHost.load(pluginRoots, home.resolve("plugins"),
                dev.quiver.api.ApiVersion.CURRENT,
                ArchiveLimits.from(environment));
        LiveCatalog catalog = new LiveCatalog(host, schemas);
        QuiverRuntime runtime;
        try {
            runtime = new QuiverRuntime(home, catalog, new ConnectionReader(schemas, environment,
                    id -> catalog.get().knownType(id)), new TransportFactory(), environment, observers, records);
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        if (opening == RecordsOpening.AT_START) {
            try {
                runtime.records();
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        }
        return runtime;
    }

    /**
     * The plugins folders used when none is given: the home's {@code plugins/}, and the {@code plugins/} folder
     * beside the runner's jar when it runs from the build tree.
     */
    public static List<Path> defaultPluginRoots(Path home) {
        Path beside = besideRunner();
        return beside == null || beside.equals(home.resolve("plugins"))
                ? List.of(home.resolve("plugins")) : List.of(home.resolve("plugins"), beside);
    }

    private static Path besideRunner() {
        try {
            Path location = Path.of(QuiverRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/skill-runner.jar, or target/classes when run from the IDE or tests: both sit in target/.
            Path plugins = location.getParent().resolve("plugins");
            return Files.isDirectory(plugins) ? plugins.toAbsolutePath().normalize() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Resolves a connection reference for the operator: a stored connection's id, else a connection file's path. */
    public Connection connection(String reference) throws FailureException {
        return connection(reference, Caller.OPERATOR);
    }

    /**
     * Resolves a connection reference for {@code caller}: the id of a stored connection in its scope, else, for the
     * operator only, a file's path. A connection outside the caller's scope is refused exactly as a missing one is.
     */
    public Connection connection(String reference, Caller caller) throws FailureException {
        if (reference == null || reference.isBlank()) {
            throw Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no connection given",
                    "Pass --connection with a stored connection's id or the path of a connection JSON file.").raise();
        }
        boolean operator = caller.equals(Caller.OPERATOR);
        Optional<Connection> stored = caller.scope().allows(reference) ? connections.find(reference)
                : Optional.empty();
        if (stored.isPresent()) {
            return oauth.fresh(stored.get());
        }
        if (!operator) {
            throw Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection has the id '" + reference + "'",
                    "List the stored connections (GET /api/v1/connections); an admin adds one with POST"
                            + " /api/v1/connections.").raise();
        }
        // A batch names its connection file on every line: it is read once while it stays the same file. (Only
        // CLI runs read files; a ${file:} secret rotated during one is read by the next.)
        Optional<Connection> file = connectionFiles.get(Path.of(reference).toAbsolutePath().normalize(),
                connectionReader::read);
        if (file.isPresent()) {
            return file.get();
        }
        throw Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no connection '" + reference
                        + "': no stored connection has this id and there is no such file",
                "List the stored ones with 'connections list', add one with 'connections add FILE', or pass the path"
                        + " of a connection JSON file (see README: Connections).").raise();
    }

    /** The connection store in the home folder. */
    public ConnectionStore connections() {
        return connections;
    }

    public Path home() {
        return home;
    }

    public PluginHost plugins() {
        return catalog.plugins();
    }

    /** The catalogue now (it changes as plugins are installed and removed). */
    public SkillCatalog catalog() {
        return catalog.get();
    }

    /** The catalogue as it changes: installs and removals. */
    public LiveCatalog liveCatalog() {
        return catalog;
    }

    /** The HTTP service's API keys. */
    public ApiKeyStore keys() {
        return keys;
    }

    /** The API keys of {@code home}, for a command that needs nothing else (no plugins, no records). */
    public static ApiKeyStore keys(Path home) {
        createOwnerOnly(home);
        return new ApiKeyStore(home);
    }

    /** The execution records, opened on first use when the runtime did not open them at start. */
    public RecordStore records() {
        return records.get().store();
    }

    /** Where the execution records live and how much of them is kept. */
    public RecordsSettings recordsSettings() {
        return recordsSettings;
    }

    public ExecutionMeters metrics() {
        return metrics;
    }

    public ExecutionPipeline pipeline() {
        return pipeline;
    }

    /** Unloads the plugins and closes the records; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pipeline.close();
        records.close(OpenRecords::close);
        transports.close();
        catalog.close();
    }

    /** Computes a value once, on first use; once closed, it computes nothing more. */
    private static final class OnFirstUse<T> implements Supplier<T> {
        private final Supplier<T> compute;
        private T value;
        private boolean closed;

        OnFirstUse(Supplier<T> compute) {
            this.compute = compute;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                if (closed) {
                    throw new IllegalStateException("Quiver is closed");
                }
                value = compute.get();
            }
            return value;
        }

        /** Closes the value when it was computed; later {@link #get()}s compute nothing. */
        synchronized void close(java.util.function.Consumer<T> closer) {
            closed = true;
            if (value != null) {
                closer.accept(value);
            }
        }
    }

    private static void createOwnerOnly(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the folder inherits its parent's ACL
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}

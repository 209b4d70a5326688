package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import dev.quiver.runner.records.ExecutionJsonLog;
import dev.quiver.runner.records.RecordsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import dev.quiver.runner.internal.QuiverVersion;

/**
 * The root command without its subcommands: the global options and the runtime the subcommands share. Every
 * subcommand's {@code @ParentCommand} is one of these. {@link QuiverCommand} adds the subcommands; {@link Main}
 * builds this root with only the subcommand a command line names (see {@link QuiverCommand#named}).
 */
@Command(name = "quiver",
        mixinStandardHelpOptions = true,
        // -h/--help (and -V) on every command and subcommand, not only at the top.
        scope = ScopeType.INHERIT,
        versionProvider = QuiverRoot.Version.class,
        description = "Runs security-automation skills: typed, permission-checked actions against vendor APIs.",
        footer = {"", "Exit codes:", "  0  success", "  2  invalid input or usage",
                "  3  permission denied (decided before any request)", "  4  authentication failed",
                "  5  the vendor refused or failed", "  6  plugin fault", "  7  timeout"})
class QuiverRoot implements AutoCloseable {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Quiver's home folder (default: $QUIVER_HOME, else ~/.quiver).")
    Path home;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Load plugins from DIR only (default: the home's plugins/ and, in the build tree, the"
                    + " plugins/ folder beside the runner's jar).")
    Path plugins;

    @Option(names = "--records-url", paramLabel = "JDBC-URL",
            description = "Keep the execution records in this database: a jdbc:postgresql://host/db URL that several"
                    + " 'serve' nodes share (default: $QUIVER_RECORDS_URL, else SQLite in the home's records.db)."
                    + " Never printed with its user or password.")
    String recordsUrl;

    private final Function<String, String> environment;
    private final InputStream stdin;
    private final java.io.OutputStream stdout;
    private QuiverRuntime runtime;
    private boolean logExecutions;
    private PrintStream errStream = System.err;

    QuiverRoot(Function<String, String> environment, InputStream stdin) {
        this(environment, stdin, java.io.OutputStream.nullOutputStream());
    }

    /** @param stdout the raw standard output, for a command that writes bytes of its own protocol ({@code mcp}) */
    QuiverRoot(Function<String, String> environment, InputStream stdin, java.io.OutputStream stdout) {
        this.environment = environment;
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /**
     * Starts Quiver on first use: loads the plugins, builds the catalogue and opens the execution records, for a
     * command that runs skills (a records database that cannot be opened fails it before anything runs).
     */
    QuiverRuntime runtime() {
        return runtime(RecordsOpening.AT_START);
    }

    /**
     * Starts Quiver on first use as {@link #runtime()} does; with {@link RecordsOpening#ON_FIRST_USE}, for a command
     * that runs no skill (lists, describes, installs), the records are opened only if something asks for them.
     */
    QuiverRuntime runtime(RecordsOpening opening) {
        if (runtime == null) {
            Path homeDir = homeDir();
            List<Path> roots = plugins != null ? List.of(plugins) : QuiverRuntime.defaultPluginRoots(homeDir);
            runtime = QuiverRuntime.start(homeDir, roots, environment, logExecutions
                    ? List.of(new ExecutionJsonLog(err())) : List.of(),
                    RecordsSettings.of(homeDir, recordsUrl, environment), opening);
        } else if (opening == RecordsOpening.AT_START) {
            runtime.records();
        }
        return runtime;
    }

    /** The API keys of the home folder. */
    dev.quiver.runner.access.ApiKeyStore keys() {
        return runtime != null ? runtime.keys() : QuiverRuntime.keys(homeDir());
    }

    /** Keeps the records at {@code url} (when not null); call before the runtime starts. */
    void recordsUrl(String url) {
        if (url != null) {
            recordsUrl = url;
        }
    }

    /** Asks for one JSON line per execution on stderr; call before the runtime starts. */
    void logExecutions() {
        logExecutions = true;
    }

    private Path homeDir() {
        return home != null ? home : defaultHome();
    }

    private Path defaultHome() {
        String fromEnv = environment.apply("QUIVER_HOME");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
                : Path.of(System.getProperty("user.home"), ".quiver");
    }

    Function<String, String> environment() {
        return environment;
    }

    InputStream stdin() {
        return stdin;
    }

    java.io.OutputStream stdout() {
        return stdout;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** stderr as a stream, for the progress display (which draws on a stream, not a writer). */
    PrintStream errStream() {
        return errStream;
    }

    void errStream(PrintStream stream) {
        this.errStream = stream;
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints one JSON document on stdout. */
    void printJson(JsonNode json) {
        try {
            out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints the error object for {@code failure} and returns its exit code (2 for a refused request). */
    int fail(Failure failure) {
        printJson(ContractJson.error(failure, null, List.of()));
        return ExitCodes.of(failure.code());
    }

    /** {@link #fail(Failure)} for a request refused before anything ran: exit 2. */
    int refuse(String message, String remediation) {
        return fail(Failure.of(ErrorCode.INVALID_INPUT, message, remediation));
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** {@code --version}: read from the build's version, which is not a compile-time constant an annotation could hold. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Quiver " + QuiverVersion.VALUE};
        }
    }
}

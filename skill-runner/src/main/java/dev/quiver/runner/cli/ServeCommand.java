package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.batch.BatchInput;
import dev.quiver.runner.http.QuiverService;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.plugins.Simulators;
import dev.quiver.runner.oauth.OAuthClientSettings;
import dev.quiver.api.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve",
        description = {"Serves Quiver's HTTP API (see GET /openapi.yml) until stopped; Ctrl-C or SIGTERM shuts down"
                + " gracefully: running executions finish first.",
                "Every route but GET /health needs 'Authorization: Bearer <api key>'. On the first start, with no"
                        + " key yet, it creates an admin key and prints it once on stdout."})
final class ServeCommand implements Callable<Integer> {

    static final String SANDBOX_CONNECTION = "sandbox";

    @ParentCommand
    QuiverRoot root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8686",
            description = "Port to listen on (default: 8686; 0 for any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--sandbox", description = "Also start the installed plugins' simulators and store their"
            + " connections: the first as '" + SANDBOX_CONNECTION + "', any other as '<type>-sandbox' (replacing"
            + " earlier ones). Unless QUIVER_OAUTH_CLIENT_ID is set, OAuth connects (POST"
            + " /api/v1/connections/{id}/connect) use the sandbox's authorization server and its public client.")
    boolean sandbox;

    @Option(names = "--log-executions", description = "Write one JSON line per execution to stderr (its record:"
            + " never a secret).")
    boolean logExecutions;

    @Option(names = "--batch-max-lines", paramLabel = "N", defaultValue = "" + BatchInput.DEFAULT_MAX_LINES,
            description = "The most request lines one POST /api/v1/batch may have (default: ${DEFAULT-VALUE});"
                    + " past it the batch is refused with 413 and nothing runs.")
    int batchMaxLines;

    @Option(names = "--body-read-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a request body may take to arrive, from its headers to its last byte"
                    + " (default: 60); a slower one is cut with 408.")
    long bodyReadTimeoutSeconds;

    @Option(names = "--mcp-allow-writes", description = "Let write tools called over MCP (POST /mcp) run without"
            + " dry_run: /mcp is stateless and cannot ask the person to confirm. Off by default.")
    boolean mcpAllowWrites;

    @Option(names = "--records-url", paramLabel = "JDBC-URL",
            description = "Keep the execution records in this database, e.g. jdbc:postgresql://db:5432/quiver?user=q"
                    + "&password=… shared by several nodes (default: $QUIVER_RECORDS_URL, else SQLite in the home's"
                    + " records.db). Retention: $QUIVER_RECORDS_RETENTION_DAYS (90), $QUIVER_RECORDS_MAX_ROWS"
                    + " (1000000).")
    String recordsUrl;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On shutdown, wait this long for running executions (default: 30).")
    long graceSeconds;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            root.err().println("quiver: --port must be from 0 to 65535");
            return ExitCodes.USAGE;
        }
        if (batchMaxLines < 1) {
            root.err().println("quiver: --batch-max-lines must be at least 1");
            return ExitCodes.USAGE;
        }
        if (bodyReadTimeoutSeconds < 1) {
            root.err().println("quiver: --body-read-timeout must be a positive number of seconds");
            return ExitCodes.USAGE;
        }
        if (logExecutions) {
            root.logExecutions();
        }
        root.recordsUrl(recordsUrl);
        
        QuiverService.Preparing preparing = QuiverService.prepare(bind, port,
                new QuiverService.Limits(batchMaxLines, Duration.ofSeconds(bodyReadTimeoutSeconds)), mcpAllowWrites);
        List<Simulators.Started> simulators = List.of();
        try {
            QuiverRuntime runtime = root.runtime();
            simulators = sandbox ? Simulators.start(Simulators.offered(runtime.plugins().contributions(), null), 0,
                    Map.of()) : List.of();
            String oauthNote = "";
            for (Simulators.Started simulator : simulators) {
                storeSandboxConnection(runtime, simulator);
                Optional<Simulator.OAuthClient> client = simulator.running().oauthClient();
                if (client.isPresent() && runtime.oauth().useClientIfNone(new OAuthClientSettings(
                        client.get().clientId(), null, null, client.get().baseUrl()),
                        simulator.running().connection().path("type").asText(), simulator.connection())) {
                    oauthNote = "; OAuth connects go to the sandbox's consent page at " + client.get().baseUrl();
                }
            }
            QuiverService service;
            try {
                service = preparing.serve(runtime);
            } catch (RuntimeException e) {
                root.err().println("quiver: cannot serve on " + bind + ":" + port + ": " + rootCause(e)
                        + " (stop what listens there, or choose another --port / --bind)");
                return ExitCodes.USAGE;
            }
            Optional<ApiKeyStore.CreatedKey> first = runtime.keys().createFirstAdmin();
            first.ifPresent(created -> {
                root.out().println(Json.MAPPER.createObjectNode().put("id", created.apiKey().id())
                        .put("role", created.apiKey().role().jsonName()).put("key", created.key()).toString());
                root.out().flush();
                root.err().println("quiver: first start: created admin key " + created.apiKey().id()
                        + " (printed once on stdout; only its hash is kept)");
            });
            root.err().println("quiver: serving " + service.uri() + " (" + runtime.catalog().entries().size()
                    + " skills; records in " + runtime.records().safeUrl() + sandboxes(simulators)
                    + oauthNote + "); stop with Ctrl-C");
            root.err().flush();
            // SIGTERM / Ctrl-C run the hook; an interrupt of this thread (an embedding caller) stops it the same way.
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop(service, runtime);
                stopped.countDown();
            }, "quiver-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(service, runtime);
                Thread.currentThread().interrupt();
            }
        } finally {
            preparing.abandon();
            simulators.forEach(Simulators.Started::close);
        }
        return ExitCodes.OK;
    }

    // The runtime is closed here too: once shutdown hooks run, the main thread may never get to close it.
    private void stop(QuiverService service, QuiverRuntime runtime) {
        root.err().println("quiver: shutting down: finishing running executions");
        root.err().flush();
        service.shutdown(Duration.ofSeconds(graceSeconds));
        runtime.close();
    }

    private static void storeSandboxConnection(QuiverRuntime runtime, Simulators.Started simulator)
            throws FailureException {
        String id = simulator.connection().path("id").asText();
        runtime.connections().remove(id);
        runtime.connections().addRemote(simulator.connection(), "the sandbox's connection");
    }

    private static String sandboxes(List<Simulators.Started> simulators) {
        return simulators.stream().map(s -> "; sandbox connection '" + s.connection().path("id").asText() + "' at "
                + s.connection().path("base_url").asText()).reduce("", String::concat);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}

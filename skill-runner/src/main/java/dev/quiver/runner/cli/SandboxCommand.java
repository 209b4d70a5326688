package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.plugins.Simulators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "sandbox",
        description = {"Starts the simulators the installed plugins bring (or PLUGIN's alone) on 127.0.0.1, for"
                + " trying their skills without credentials at the vendor. Prints one JSON line per simulator on"
                + " stdout, a ready connection for it (save it to a file and pass it as --connection), then serves"
                + " until stopped (Ctrl-C). The first connection's id is 'sandbox', any other's '<type>-sandbox'.",
                "A simulator's data lives in memory; its credential is new on every start and opens nothing but"
                        + " that simulator."})
final class SandboxCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLUGIN",
            description = "The plugin whose simulator to start (default: every installed plugin's).")
    String plugin;

    @Option(names = "--port", paramLabel = "N", description = "Port of the first simulator (default: 0, any free"
            + " port); any other gets a free port.")
    int port;

    @Option(names = "--rate-limit", paramLabel = "N", description = "Answer 429 past N requests per 5 minutes, as the"
            + " vendor does (the simulator's option rate_limit; default: never in practice).")
    Integer rateLimit;

    @Option(names = "--token-ttl", paramLabel = "SECONDS", description = "How long the simulator's OAuth access"
            + " tokens live (its option token_ttl), short to exercise refresh.")
    Integer tokenTtl;

    @Option(names = {"-o", "--option"}, paramLabel = "NAME=VALUE", description = "A simulator option (each"
            + " plugin's README lists its simulator's).")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            root.err().println("quiver: --port must be from 0 to 65535");
            return ExitCodes.USAGE;
        }
        if (rateLimit != null && rateLimit < 1) {
            root.err().println("quiver: --rate-limit must be at least 1");
            return ExitCodes.USAGE;
        }
        Map<String, String> all = new LinkedHashMap<>(options);
        if (rateLimit != null) {
            all.put("rate_limit", String.valueOf(rateLimit));
        }
        if (tokenTtl != null) {
            if (tokenTtl < 1) {
                root.err().println("quiver: --token-ttl must be at least 1");
                return ExitCodes.USAGE;
            }
            all.put("token_ttl", String.valueOf(tokenTtl));
        }
        List<Simulators.Offered> offered = Simulators.offered(
                root.runtime(RecordsOpening.ON_FIRST_USE).plugins().contributions(), plugin);
        if (offered.isEmpty()) {
            root.err().println("quiver: " + (plugin == null ? "no installed plugin brings a simulator"
                    : "plugin '" + plugin + "' is not installed or brings no simulator") + " (see 'plugins')");
            return ExitCodes.USAGE;
        }
        List<Simulators.Started> started;
        try {
            started = Simulators.start(offered, port, all);
        } catch (java.net.BindException e) {
            root.err().println("quiver: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException e) {
            root.err().println("quiver: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            for (Simulators.Started s : started) {
                root.out().println(Json.MAPPER.writeValueAsString(s.connection()));
            }
            root.out().flush();
            for (Simulators.Started s : started) {
                root.err().println("quiver: " + s.pluginId() + ": " + s.running().describe() + "; connection '"
                        + s.connection().path("id").asText() + "'");
            }
            root.err().println("quiver: stop with Ctrl-C");
            root.err().flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            started.forEach(Simulators.Started::close);
        }
        return ExitCodes.OK;
    }
}

package dev.quiver.runner.cli;

import dev.quiver.runner.internal.Json;
import dev.quiver.sandbox.CloudflareSandbox;
import dev.quiver.sandbox.RateLimit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "sandbox",
        description = {"Starts the built-in Cloudflare API simulator on 127.0.0.1, for trying the skills without a"
                + " Cloudflare account. Prints one JSON line on stdout, a ready connection for it (save it to a file"
                + " and pass it as --connection), then serves until stopped (Ctrl-C).",
                "Its data lives in memory and is the same on every start; its token is new on every start and"
                        + " opens nothing but this sandbox."})
final class SandboxCommand implements Callable<Integer> {

    @ParentCommand
    QuiverCommand root;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: 0, any free port).")
    int port;

    @Option(names = "--rate-limit", paramLabel = "N", description = "Answer 429 (and lock out for 5 minutes) past N"
            + " requests per 5 minutes, as Cloudflare does at 1200 (default: 1000000, never in practice).")
    Integer rateLimit;

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
        RateLimit limit = rateLimit == null ? RateLimit.GENEROUS : RateLimit.perFiveMinutes(rateLimit);
        try (CloudflareSandbox sandbox = CloudflareSandbox.start(port, limit)) {
            root.out().println(Json.MAPPER.writeValueAsString(sandbox.connection()));
            root.out().flush();
            root.err().println("quiver: Cloudflare sandbox serving " + sandbox.baseUrl() + " ("
                    + sandbox.auditLogCount() + " audit-log entries, " + limit.requests()
                    + " requests per 5 minutes); stop it with Ctrl-C");
            root.err().flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (java.net.BindException e) {
            root.err().println("quiver: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }
}

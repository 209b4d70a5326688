package dev.quiver.runner.cli;

import dev.quiver.runner.access.Caller;
import dev.quiver.runner.batch.BatchInput;
import dev.quiver.runner.batch.BatchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "batch",
        description = {"Reads JSON Lines requests on stdin, {\"skill\": ID, \"input\": {...}} (optionally \"dry_run\""
                + " and an \"id\" echoed back), runs them concurrently on one connection, and writes one result line"
                + " per request on stdout, in the order of the requests.",
                "Each result line is the run's result or the error object, with \"line\" (the request's line"
                        + " number). A bad line gets an error line and the batch goes on; the exit code is 0 once"
                        + " every line has its result. A summary goes to stderr.",
                "The whole input is read first: more request lines than --max-lines, or a line that is not UTF-8,"
                        + " is a usage error (exit 2) and nothing runs."})
final class BatchCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

    @Option(names = "--connection", required = true, paramLabel = "C",
            description = "A stored connection's id, or the path of a connection JSON file.")
    String connection;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + BatchRunner.DEFAULT_CONCURRENCY,
            description = "How many requests run at once (default: ${DEFAULT-VALUE}). The vendor's rate limit is"
                    + " paced per credential whatever this is.")
    int concurrency;

    @Option(names = "--max-lines", paramLabel = "N", defaultValue = "" + BatchInput.DEFAULT_MAX_LINES,
            description = "The most request lines the batch may have (default: ${DEFAULT-VALUE}); past it nothing"
                    + " runs and the exit code is 2. The lines are read before the first runs.")
    int maxLines;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "A progress line on stderr (done/total, rate, failures, time left): auto (on a terminal),"
                    + " always or never (default: ${DEFAULT-VALUE}).")
    ProgressDisplay.Mode progress;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Each request's timeout (default: 60).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > 256) {
            root.err().println("quiver: --concurrency must be from 1 to 256");
            return ExitCodes.USAGE;
        }
        if (timeoutSeconds <= 0) {
            root.err().println("quiver: --timeout must be a positive number of seconds");
            return ExitCodes.USAGE;
        }
        if (maxLines < 1) {
            root.err().println("quiver: --max-lines must be at least 1");
            return ExitCodes.USAGE;
        }
        List<String> lines;
        try {
            lines = BatchInput.read(root.stdin(), maxLines);
        } catch (BatchInput.Refused refused) {
            root.err().println("quiver: batch: " + refused.getMessage()
                    + (refused.tooManyLines() ? "; --max-lines raises the cap" : ""));
            return ExitCodes.USAGE;
        }
        long started = System.nanoTime();
        long total = lines.stream().filter(line -> !line.isBlank()).count();
        BatchRunner.Summary summary;
        try (ProgressDisplay display = ProgressDisplay.start(progress, root.errStream(), "batch", total,
                "requests")) {
            summary = new BatchRunner(root.runtime().pipeline(), concurrency).run(lines,
                    line -> root.out().println(line), connection, Caller.OPERATOR, "batch",
                    Duration.ofSeconds(timeoutSeconds), display::step);
        }
        root.out().flush();
        root.err().printf("quiver: batch: %s, %d succeeded, %d failed in %.1f s%n",
                plural(summary.requests(), "request"), summary.succeeded(), summary.failed(),
                (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}

package dev.quiver.runner.cli;

import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** {@code java -jar skill-runner.jar}: Quiver's command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (QuiverCommand.startsQuiver(args)) {
            // Only here, in a process of its own: a caller of run() (a test) makes its registries as it always did.
            dev.quiver.runner.schema.JsonSchemas.prepare();
        }
        System.exit(run(args, System::getenv, System.in, System.out, System.err));
    }

    /**
     * Runs one command line and returns its exit code; stdout gets JSON (or a table), stderr logs and usage.
     *
     * @param environment environment variables ({@code QUIVER_HOME}, secret references)
     */
    public static int run(String[] args, Function<String, String> environment, InputStream stdin, PrintStream stdout,
                          PrintStream stderr) {
        PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(stderr, true, StandardCharsets.UTF_8);
        Class<?> only = QuiverCommand.named(args);
        QuiverRoot root = only == null ? new QuiverCommand(environment, stdin, stdout)
                : new QuiverRoot(environment, stdin, stdout);
        root.errStream(stderr);
        CommandLine cli = new CommandLine(root);
        if (only != null) {
            cli.addSubcommand(only); // before the settings below, which apply to the subcommands added so far
        }
        cli.setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                // '--input @FILE' is Quiver's own syntax; picocli would otherwise expand @FILE into arguments.
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    err.println("quiver: " + e.getMessage());
                    return ExitCodes.PLUGIN_FAULT;
                });
        try {
            return cli.execute(args);
        } finally {
            root.close();
            out.flush();
            err.flush();
        }
    }
}

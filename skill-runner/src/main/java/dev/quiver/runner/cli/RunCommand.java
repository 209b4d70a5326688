package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.pipeline.Failure;
import dev.quiver.runner.view.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "run", description = {"Runs one skill and prints its result (or the error object) as JSON.",
        "The input is checked against the skill's schema and the connection's permissions against the skill's"
                + " before any request is sent."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    QuiverCommand root;

    @Parameters(paramLabel = "SKILL_ID", description = "The skill's id, as 'skills' lists it.")
    String skillId;

    @Option(names = "--connection", required = true, paramLabel = "C",
            description = "A stored connection's id (see 'connections list'), or the path of a connection JSON"
                    + " file.")
    String connection;

    @Option(names = "--input", paramLabel = "JSON|@FILE|-", defaultValue = "{}",
            description = "The input: inline JSON, @FILE for a file, or - for stdin (default: {}).")
    String input;

    @Option(names = "--dry-run", description = "A write skill describes what it would do and writes nothing.")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up after this many seconds (default: 60).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            return usage("--timeout must be a positive number of seconds");
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(read(input));
        } catch (IOException e) {
            return usage("--input is not JSON: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (parsed == null || parsed.isMissingNode()) {
            return usage("--input is empty");
        }
        ExecutionResult result = root.runtime().pipeline().execute(new ExecutionRequest(skillId, connection, parsed,
                dryRun, Duration.ofSeconds(timeoutSeconds)));
        result.warnings().forEach(w -> root.err().println("warning: " + w));
        root.printJson(Views.result(result));
        return ExitCodes.of(result);
    }

    private String read(String value) throws IOException {
        if (value.equals("-")) {
            return new String(root.stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (value.startsWith("@")) {
            return Files.readString(Path.of(value.substring(1)));
        }
        return value;
    }

    private int usage(String message) {
        root.printJson(Views.error(Failure.of(ErrorCode.INVALID_INPUT, message,
                "Pass the input as inline JSON, @FILE or - (stdin)."), null, null));
        return ExitCodes.USAGE;
    }
}

package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.internal.JsonText;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "run", description = {"Runs one skill and prints its result (or the error object) as JSON.",
        "The input is checked against the skill's schema and the connection's permissions against the skill's"
                + " before any request is sent."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

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

    /** A day: beyond it a number is a typo, and far beyond it the deadline would not even be a date. */
    static final long MAX_TIMEOUT_SECONDS = 86_400;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up after this many whole seconds, 1 to 86400 (default: 60).")
    long timeoutSeconds;

    @Option(names = "--format", paramLabel = "json|markdown", defaultValue = "json",
            description = {"json (default): the result object. markdown: on success, the output's report_markdown"
                    + " (a skill's report for a person, such as the posture review's), else the output as a JSON"
                    + " block; a failure is still the error object."})
    String format;

    @Override
    public Integer call() {
        if (!format.equals("json") && !format.equals("markdown")) {
            return usage("--format must be json or markdown, not " + format, "Pass --format markdown for a report.");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            return usage("--timeout must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", not "
                    + timeoutSeconds, "Pass e.g. --timeout 60.");
        }
        JsonNode parsed;
        try {
            parsed = JsonText.parse(read(input));
        } catch (IOException e) {
            return usage("--input cannot be read: " + unreadable(input, e), INPUT_HELP);
        } catch (JsonText.Refused e) {
            return usage("--input is refused: " + e.getMessage(), INPUT_HELP);
        }
        if (parsed == null) {
            return usage("--input is empty", INPUT_HELP);
        }
        ExecutionResult result = root.runtime().pipeline().execute(new ExecutionRequest(skillId, connection, parsed,
                dryRun, Duration.ofSeconds(timeoutSeconds)));
        result.warnings().forEach(w -> root.err().println("warning: " + w));
        if (format.equals("markdown") && result.succeeded()) {
            // A convention any skill may follow: its report for a ticket travels in the output as report_markdown.
            JsonNode report = result.output().path("report_markdown");
            root.out().println(report.isTextual() ? report.asText() : "# " + skillId + "\n\n```json\n"
                    + result.output().toPrettyString() + "\n```");
            root.out().flush();
            return ExitCodes.of(result);
        }
        root.printJson(ContractJson.result(result));
        return ExitCodes.of(result);
    }

    // Bytes from stdin and files, decoded strictly by JsonText: an invalid byte is refused, not replaced.
    private byte[] read(String value) throws IOException {
        if (value.equals("-")) {
            return root.stdin().readAllBytes();
        }
        if (value.startsWith("@")) {
            return Files.readAllBytes(Path.of(value.substring(1)));
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    // The file is the user's own argument: name it, with the reason in words rather than an exception's class.
    private static String unreadable(String value, IOException e) {
        String what = value.equals("-") ? "standard input" : "'" + value.substring(1) + "'";
        if (e instanceof java.nio.file.NoSuchFileException) {
            return what + " does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return what + " may not be read (permission denied)";
        }
        if (value.startsWith("@") && Files.isDirectory(Path.of(value.substring(1)))) {
            return what + " is a folder, not a file";
        }
        return what + " (" + e.getClass().getSimpleName() + ")";
    }

    private static final String INPUT_HELP = "Pass the input as one JSON object (UTF-8, each key once): inline, @FILE"
            + " or - (stdin).";

    private int usage(String message, String remediation) {
        root.printJson(ContractJson.error(Failure.of(ErrorCode.INVALID_INPUT, message, remediation), null, null));
        return ExitCodes.USAGE;
    }
}

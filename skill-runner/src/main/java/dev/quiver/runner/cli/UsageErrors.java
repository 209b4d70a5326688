package dev.quiver.runner.cli;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.internal.Typos;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command line picocli could not parse: one line per problem on stderr, a suggestion where one is close, and
 * where to find the usage, instead of picocli's whole usage text. A mistyped option is named as unknown, with the
 * option meant, rather than reported as the required option it was meant to be.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        List<String> problems = new ArrayList<>();
        List<String> unknown = unknownOptions(command.getCommandSpec(), args);
        if (!unknown.isEmpty()) {
            for (String option : unknown) {
                problems.add("unknown option '" + option + "'" + closest(command.getCommandSpec(), option)
                        .map(meant -> "; did you mean '" + meant + "'?").orElse(""));
            }
        } else {
            String problem = e.getMessage();
            if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
                problem += Typos.closest(unmatched.getUnmatched().get(0), command.getSubcommands().keySet())
                        .map(meant -> "; did you mean '" + meant + "'?").orElse("");
            }
            problems.add(problem);
        }
        String help = "See '" + command.getCommandSpec().qualifiedName() + " --help'.";
        problems.forEach(problem -> err.println("quiver: " + problem));
        err.println(help);
        // stdout carries the error object of every failure, so that a playbook reading it learns why (the contract)
        PrintWriter out = command.getOut();
        out.println(ContractJson.error(Failure.of(ErrorCode.INVALID_INPUT, String.join("; ", problems), help),
                null, null));
        out.flush();
        return ExitCodes.USAGE;
    }

    // Option-like words after this command's name that it does not know.
    private static List<String> unknownOptions(CommandSpec spec, String[] args) {
        List<String> unknown = new ArrayList<>();
        boolean inCommand = spec.parent() == null;
        for (String arg : args) {
            if (!inCommand) {
                inCommand = arg.equals(spec.name());
                continue;
            }
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1 && !looksLikeNumber(arg)) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (spec.findOption(name) == null) {
                    unknown.add(name);
                }
            }
        }
        return unknown;
    }

    private static boolean looksLikeNumber(String arg) {
        return arg.length() > 1 && Character.isDigit(arg.charAt(1));
    }

    private static Optional<String> closest(CommandSpec spec, String typed) {
        return Typos.closest(typed, spec.options().stream().map(OptionSpec::longestName).toList());
    }
}

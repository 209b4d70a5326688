package dev.quiver.runner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The root command with every subcommand: what {@code quiver --help}, {@code quiver help X} and a typo are shown. */
@Command(subcommands = {SkillsCommand.class, DescribeCommand.class, RunCommand.class, PluginsCommand.class,
        ConnectionsCommand.class, KeysCommand.class, BatchCommand.class, ServeCommand.class,
        McpCommand.class, SandboxCommand.class, HelpCommand.class})
final class QuiverCommand extends QuiverRoot {

    /**
     * The subcommands by name, as the annotation above declares them ({@code QuiverCommandTest} checks that the two
     * agree); {@code help} is left out, as it needs every other one. Written out rather than read from each class's
     * annotation: parsing those is part of the work {@link #named} saves.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = Map.of("skills", SkillsCommand.class,
            "describe", DescribeCommand.class, "run", RunCommand.class, "plugins", PluginsCommand.class,
            "connections", ConnectionsCommand.class, "keys", KeysCommand.class, "batch", BatchCommand.class,
            "serve", ServeCommand.class, "mcp", McpCommand.class, "sandbox", SandboxCommand.class);

    // The global options that take a value: a command line's first word that is neither one of them, nor its value,
    // nor another option, is the subcommand's name.
    private static final Set<String> VALUED = Set.of("--home", "--plugins", "--records-url");

    QuiverCommand(Function<String, String> environment, InputStream stdin) {
        super(environment, stdin);
    }

    QuiverCommand(Function<String, String> environment, InputStream stdin, java.io.OutputStream stdout) {
        super(environment, stdin, stdout);
    }

    /**
     * The subcommand {@code args} run, when only it is needed to parse them: picocli reads every command's
     * annotations by reflection when the root is built, about a third of its start-up for the one a command line
     * uses; a root with only that one parses the line, prints its help and reports its errors exactly the same.
     *
     * @return the subcommand's class, or {@code null} when the line needs the whole tree: no subcommand, an
     *         unknown one (the error suggests the closest), {@code help}, or an option before it other than the
     *         global ones ({@code -h}, {@code -V}, a typo)
     */
    static Class<?> named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED.contains(arg)) {
                i++;
            } else if (arg.startsWith("-")) {
                int equals = arg.indexOf('=');
                if (equals < 0 || !VALUED.contains(arg.substring(0, equals))) {
                    return null;
                }
            } else {
                return SUBCOMMANDS.get(arg);
            }
        }
        return null;
    }

    /**
     * Whether {@code args} run a command that starts Quiver (loads the plugins and compiles their schemas): every
     * named subcommand but {@code keys}, unless asked for its help or the version.
     */
    static boolean startsQuiver(String[] args) {
        Class<?> command = named(args);
        return command != null && command != KeysCommand.class && java.util.Arrays.stream(args).noneMatch(
                arg -> arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version"));
    }
}

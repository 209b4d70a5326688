package dev.quiver.runner.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link Main} builds the root with only the subcommand a command line names: the names it knows are the
 * annotation's, and what a user sees (help, errors) is what the whole tree shows.
 */
class QuiverCommandTest {

    @Test
    void theSubcommandsByNameAreTheAnnotationsOwnButHelp() {
        Map<String, Class<?>> declared = new LinkedHashMap<>();
        for (Class<?> type : QuiverCommand.class.getAnnotation(Command.class).subcommands()) {
            if (type != HelpCommand.class) {
                declared.put(type.getAnnotation(Command.class).name(), type);
            }
        }
        assertEquals(declared, QuiverCommand.SUBCOMMANDS);
    }

    @Test
    void theNamedSubcommandIsTheFirstWordThatIsNeitherAGlobalOptionNorItsValue() {
        assertEquals(SkillsCommand.class, QuiverCommand.named(new String[] {"skills", "--json"}));
        assertEquals(RunCommand.class, QuiverCommand.named(new String[] {"--home", "run", "--plugins=x", "run"}));
        assertEquals(ServeCommand.class, QuiverCommand.named(new String[] {"--records-url", "jdbc:x", "serve"}));
        assertEquals(KeysCommand.class, QuiverCommand.named(new String[] {"--home=h", "keys", "create"}));
        for (String[] whole : List.of(new String[0], new String[] {"--help"}, new String[] {"-V"},
                new String[] {"help", "run"}, new String[] {"skilz"}, new String[] {"--hom", "x", "skills"},
                new String[] {"--home"}, new String[] {"--", "skills"}, new String[] {"-hV", "skills"})) {
            assertNull(QuiverCommand.named(whole), Arrays.toString(whole));
        }
    }

    @Test
    void everyCommandsHelpAndUsageErrorAreTheWholeTreesOwn() {
        CommandLine whole = new CommandLine(new QuiverCommand(name -> null, new ByteArrayInputStream(new byte[0])));
        List<List<String>> paths = new ArrayList<>();
        collect(whole, List.of(), paths);
        for (List<String> path : paths) {
            if (path.get(0).equals("help")) {
                continue;
            }
            CommandLine command = whole;
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            List<String> help = new ArrayList<>(List.of("--home", "/nonexistent"));
            help.addAll(path);
            help.add("--help");
            assertEquals(command.getUsageMessage(), run(help).stdout(), "usage of " + path);
            List<String> typo = new ArrayList<>(path);
            typo.add("--jsno");
            assertEquals(wholeTree(typo), run(typo), "a typo in " + path);
        }
    }

    private record Ran(int exit, String stdout, String stderr) {
    }

    private static Ran run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // The same line parsed by the whole tree, set up as Main sets up its root.
    private static Ran wholeTree(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.io.PrintWriter outWriter = new java.io.PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8),
                true);
        java.io.PrintWriter errWriter = new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8),
                true);
        QuiverCommand root = new QuiverCommand(name -> null, new ByteArrayInputStream(new byte[0]));
        int exit = new CommandLine(root).setOut(outWriter).setErr(errWriter).setCaseInsensitiveEnumValuesAllowed(true)
                .setExpandAtFiles(false).setParameterExceptionHandler(new UsageErrors())
                .execute(args.toArray(String[]::new));
        root.close();
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new ArrayList<>(path);
            longer.add(name);
            paths.add(longer);
            collect(sub, longer, paths);
        });
    }
}

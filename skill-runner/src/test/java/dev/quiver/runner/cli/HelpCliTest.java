package dev.quiver.runner.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help as a new user asks for it: on every command, in both spellings, and through {@code help COMMAND}. */
class HelpCliTest {

    private record Ran(int exit, String stdout, String stderr) {
    }

    private static Ran cli(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command path: {@code [run]}, {@code [keys, create]}, … */
    private static List<List<String>> commands() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new QuiverCommand(name -> null, new ByteArrayInputStream(new byte[0]))), List.of(),
                paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new ArrayList<>(path);
            longer.add(name);
            paths.add(longer);
            collect(sub, longer, paths);
        });
    }

    @Test
    void everyCommandAndSubcommandPrintsItsUsageForDashHAndDashDashHelpAndExits0() {
        List<List<String>> paths = commands();
        assertTrue(paths.size() > 15, "commands found: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Ran ran = cli(args);
                assertEquals(0, ran.exit(), args + ": " + ran.stderr());
                // 'help -h' describes the help command itself, in picocli's words.
                String usage = path.equals(List.of("help")) ? "Display help" : "Usage: quiver " + String.join(" ", path);
                assertTrue(ran.stdout().startsWith(usage), args + ": " + ran.stdout());
                assertFalse(ran.stdout().contains("null"), args + " shows an interpolated null: " + ran.stdout());
            }
        }
    }

    @Test
    void helpCommandShowsTheUsageOfTheCommandItNames() {
        Ran ran = cli(List.of("help", "run"));
        assertEquals(0, ran.exit(), ran.stderr());
        assertTrue(ran.stdout().startsWith("Usage: quiver run"), ran.stdout());
        assertTrue(ran.stdout().contains("--connection"));
    }

    @Test
    void secretReferencesAreShownLiterallyInHelp() {
        Ran ran = cli(List.of("connections", "add", "--help"));
        assertTrue(ran.stdout().contains("${env:…} and ${file:…}"), ran.stdout());
    }

    @Test
    void theExitCodesAreListedOnePerLine() {
        Ran ran = cli(List.of("--help"));
        for (String line : List.of("  2  invalid input or usage", "  3  permission denied (decided before any request)",
                "  7  timeout")) {
            assertTrue(ran.stdout().lines().anyMatch(line::equals), line + " in:\n" + ran.stdout());
        }
    }

    /** The version is the pom's, written once by the build: not a constant someone forgets to bump. */
    @Test
    void dashDashVersionPrintsThePomsVersion() throws java.io.IOException {
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        java.util.regex.Matcher parent = java.util.regex.Pattern
                .compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", java.util.regex.Pattern.DOTALL)
                .matcher(pom);
        assertTrue(parent.find(), "the runner's pom names its parent's version");
        Ran ran = cli(List.of("--version"));
        assertEquals(0, ran.exit(), ran.stderr());
        assertEquals("Quiver " + parent.group(1), ran.stdout().strip());
    }
}

package dev.quiver.runner.cli;

import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/quiver} as an operator runs it: the first run writes a class-data archive beside the jar, later runs
 * use it, a new jar gets a new archive, and none of it shows in a command's output. Runs after {@code package}.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("../bin/quiver");

    @TempDir
    Path dir;

    private record Ran(int exit, String stdout, String stderr) {
    }

    private Ran quiver(Path jar, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("sh", LAUNCHER.toString(), "--home",
                dir.resolve("home").toString(), "--plugins", dir.resolve("plugins").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().put("QUIVER_JAR", jar.toString());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("QUIVER_HOME", dir.resolve("home").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "quiver " + List.of(args) + " finished");
        return new Ran(process.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    private static List<String> archives(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    @Test
    void theFirstRunWritesAnArchiveBesideTheJarLaterRunsUseItAndANewJarGetsANewOne() throws Exception {
        Path jarDir = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.copy(Path.of(System.getProperty("quiver.test.jar", "target/skill-runner.jar")),
                jarDir.resolve("skill-runner.jar"));
        PluginArchives.installCloudflarePlugin(dir.resolve("plugins"));

        Ran first = quiver(jar, "skills");
        assertEquals(0, first.exit(), first.stderr());
        List<String> made = archives(jarDir);
        assertEquals(1, made.size(), "one archive for the commands other than serve: " + made);
        assertTrue(made.get(0).startsWith(".quiver-cli-"), made.toString());

        Ran second = quiver(jar, "skills");
        assertEquals(0, second.exit(), second.stderr());
        assertEquals(first.stdout(), second.stdout(), "the archive changes nothing a command prints");
        assertTrue(second.stdout().contains("cloudflare_get_audit_logs"), second.stdout());
        assertEquals(made, archives(jarDir), "the second run used the archive and wrote none");

        // An upgrade: the jar is replaced (a new modification time), so its archive is made anew on the next run.
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5_000));
        Ran upgraded = quiver(jar, "skills");
        assertEquals(0, upgraded.exit(), upgraded.stderr());
        assertEquals(2, archives(jarDir).size(), "a new archive for the new jar: " + archives(jarDir));
    }

    @Test
    void withTheArchiveOffNothingIsWritten() throws Exception {
        Path jarDir = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.copy(Path.of(System.getProperty("quiver.test.jar", "target/skill-runner.jar")),
                jarDir.resolve("skill-runner.jar"));
        PluginArchives.installCloudflarePlugin(dir.resolve("plugins"));
        ProcessBuilder version = new ProcessBuilder("sh", LAUNCHER.toString(), "--version")
                .redirectErrorStream(true);
        version.environment().put("QUIVER_JAR", jar.toString());
        version.environment().put("QUIVER_CDS", "off");
        Process process = version.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        assertTrue(out.startsWith("Quiver "), out);
        assertEquals(List.of(), archives(jarDir));
    }
}

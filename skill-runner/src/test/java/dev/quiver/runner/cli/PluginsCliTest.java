package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plugins install} through the CLI entry point, on a home whose plugins folder is loaded on every start (no
 * {@code --plugins}), so each command sees what the previous one installed.
 */
class PluginsCliTest {

    @TempDir
    Path dir;

    record Run(int exit, JsonNode json, String stdout) {
    }

    private Run cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString()));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        return new Run(exit, stdout.isBlank() ? null : Json.MAPPER.readTree(stdout), stdout);
    }

    @Test
    void installRefusesADowngradeUnlessAllowDowngradeAndTheSameVersionUnlessForce() throws Exception {
        String v010 = PluginArchives.probePlugin(dir.resolve("probe-a.zip"), "0.1.0").toString();
        String v001 = PluginArchives.probePlugin(dir.resolve("probe-b.zip"), "0.0.1").toString();
        assertEquals(0, cli("plugins", "install", v010).exit());

        Run downgrade = cli("plugins", "install", v001);
        assertEquals(ExitCodes.USAGE, downgrade.exit(), downgrade.stdout());
        assertEquals("INVALID_INPUT", downgrade.json().at("/error/code").asText());
        assertTrue(downgrade.json().at("/error/message").asText().contains("0.0.1 is older than the installed"
                + " 0.1.0"), downgrade.stdout());
        assertTrue(downgrade.json().at("/error/remediation").asText().contains("--allow-downgrade"),
                downgrade.stdout());
        assertEquals(List.of("probe-0.1.0.zip"), probeArchives());

        Run allowed = cli("plugins", "install", "--allow-downgrade", v001);
        assertEquals(0, allowed.exit(), allowed.stdout());
        assertEquals("0.1.0", allowed.json().path("replaced").asText());
        assertEquals(List.of("probe-0.0.1.zip"), probeArchives());

        Run same = cli("plugins", "install", v001);
        assertEquals(ExitCodes.USAGE, same.exit(), same.stdout());
        assertTrue(same.json().at("/error/remediation").asText().contains("--force"), same.stdout());
        Run forced = cli("plugins", "install", "--force", v001);
        assertEquals(0, forced.exit(), forced.stdout());
        assertEquals("0.0.1", forced.json().path("replaced").asText());
    }

    @Test
    void installRefusesAPluginIdThatClimbsOutOfTheHome() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path attack = PluginArchives.probePlugin(dir.resolve("attack.zip"), "../../outside/x", "1.0.0");

        Run refused = cli("plugins", "install", attack.toString());
        assertEquals(ExitCodes.USAGE, refused.exit(), refused.stdout());
        assertTrue(refused.json().at("/error/message").asText().contains("plugin.id"), refused.stdout());
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(List.of(), files.toList(), "nothing written outside the home");
        }
        assertEquals(List.of(), probeArchives());
    }

    @Test
    void removingAPluginThatIsNotThereIsNotFoundAsOverHttpAndExitsTwo() throws Exception {
        Run missing = cli("plugins", "remove", "no-such-plugin");
        assertEquals(ExitCodes.USAGE, missing.exit(), missing.stdout());
        assertEquals("NOT_FOUND", missing.json().at("/error/code").asText(), missing.stdout());
        assertTrue(missing.json().at("/error/message").asText().contains("no-such-plugin"), missing.stdout());
    }

    private List<String> probeArchives() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("home/plugins"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("probe")).sorted().toList();
        }
    }
}

package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outside review's attacks (issue 11 §2: items 6, 7, 9 and 11) replayed on the command line. */
class CliAttacksTest {

    private static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";

    @TempDir
    Path dir;
    private Path plugins;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        env.put("QUIVER_MASTER_KEY", newKey());
    }

    record Run(int exit, JsonNode json, String stdout, String stderr) {
    }

    private Run cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString()));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), env::get, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        JsonNode json = stdout.isBlank() ? null : Json.MAPPER.readTree(stdout);
        return new Run(exit, json, stdout, err.toString(StandardCharsets.UTF_8));
    }

    private Path connection(String id, String baseUrl) throws Exception {
        return Files.writeString(dir.resolve(id + ".json"), "{\"id\": \"" + id + "\", \"type\": \"cloudflare\","
                + "\"auth\": {\"method\": \"api_token\", \"token\": \"tok-" + id + "-0123456789\"},"
                + "\"account_id\": \"" + ACCOUNT + "\", \"zone_id\": \"" + ZONE + "\","
                + "\"permissions\": [\"Zone Read\"], \"base_url\": \"" + baseUrl + "\"}");
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    // Item 7
    @Test
    void addingUnderAnotherMasterKeyExitsNonZeroAndLeavesTheStoreUnchanged() throws Exception {
        assertEquals(0, cli("connections", "add", connection("first", "https://api.example.com").toString()).exit());
        List<String> before = storeFiles();
        env.put("QUIVER_MASTER_KEY", newKey());

        Run add = cli("connections", "add", connection("second", "https://api.example.com").toString());
        Run use = cli("run", "cloudflare_get_zone_details", "--connection", "first");

        assertNotEquals(0, add.exit(), add.stdout());
        assertTrue(add.json().at("/error/message").asText().contains("master key"), add.stdout());
        assertTrue(add.json().at("/error/remediation").asText().contains("QUIVER_MASTER_KEY"), add.stdout());
        assertEquals(before, storeFiles(), "the store is unchanged");
        assertNotEquals(0, use.exit(), use.stdout());
        assertTrue(use.json().at("/error/message").asText().contains("master key"), use.stdout());
    }

    @Test
    void anExistingStoreWithoutAKeyCheckMigratesOnFirstUseAndThenRefusesAnotherKey() throws Exception {
        assertEquals(0, cli("connections", "add", connection("first", "https://api.example.com").toString()).exit());
        Path check = dir.resolve("home/connections/.keycheck");
        Files.deleteIfExists(check);

        Run use = cli("run", "cloudflare_get_zone_details", "--connection", "first", "--dry-run", "--input",
                "{\"zone_id\": \"bad\"}");
        assertEquals(2, use.exit(), use.stdout()); // refused input, after the connection was opened
        assertTrue(Files.isRegularFile(check), "the key check was written when the connection was opened");

        env.put("QUIVER_MASTER_KEY", newKey());
        Run add = cli("connections", "add", connection("second", "https://api.example.com").toString());
        assertNotEquals(0, add.exit(), add.stdout());
        assertFalse(Files.exists(dir.resolve("home/connections/second.json")));
    }

    // Item 9
    @Test
    void aPlainHttpBaseUrlIsRefusedOnAddAndOnUseOfAConnectionFile() throws Exception {
        Path plain = connection("plain", "http://api.example.com/client/v4");

        Run add = cli("connections", "add", plain.toString());
        Run use = cli("run", "cloudflare_get_zone_details", "--connection", plain.toString());

        assertEquals(2, add.exit(), add.stdout());
        assertTrue(add.json().at("/error/message").asText().contains("base_url"), add.stdout());
        assertFalse(Files.exists(dir.resolve("home/connections/plain.json")));
        assertEquals(2, use.exit(), use.stdout());
        assertTrue(use.json().at("/error/message").asText().contains("base_url"), use.stdout());
    }

    // Item 6
    @Test
    void duplicateKeysInInputAndConnectionFilesAreRefusedWithLineAndColumn() throws Exception {
        Path dup = Files.writeString(dir.resolve("dup.json"), "{\"id\": \"dup\", \"type\": \"cloudflare\",\n"
                + "\"auth\": {\"method\": \"api_token\", \"token\": \"tok-one-0123456789\","
                + " \"token\": \"tok-two-0123456789\"}, \"account_id\": \"" + ACCOUNT + "\"}");

        Run add = cli("connections", "add", dup.toString());
        Run run = cli("run", "cloudflare_get_zone_details", "--connection", dup.toString(), "--input",
                "{\"zone_id\": \"" + ZONE + "\", \"zone_id\": \"" + ZONE + "\"}");

        assertEquals(2, add.exit(), add.stdout());
        assertTrue(add.json().at("/error/message").asText().contains("duplicate key 'token'"), add.stdout());
        assertTrue(add.json().at("/error/message").asText().contains("line 2, column"), add.stdout());
        assertEquals(2, run.exit(), run.stdout());
        assertTrue(run.json().at("/error/message").asText().contains("duplicate key 'zone_id'"), run.stdout());
        assertFalse(run.stdout().contains("Feature"), run.stdout());
    }

    @Test
    void anInputFileThatIsNotUtf8IsRefused() throws Exception {
        Path input = dir.resolve("input.json");
        Files.write(input, new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xE9, '"', '}'});

        Run run = cli("run", "cloudflare_get_zone_details", "--connection", "nowhere", "--input", "@" + input);

        assertEquals(2, run.exit(), run.stdout() + run.stderr());
        assertTrue(run.json().at("/error/message").asText().contains("UTF-8"), run.stdout() + run.stderr());
    }

    // Item 11
    @Test
    void aFractionalZeroOrAbsurdTimeoutIsRefused() throws Exception {
        for (String timeout : List.of("1.5", "0", "-1", "9999999999999999")) {
            Run run = cli("run", "cloudflare_get_zone_details", "--connection", "nowhere", "--timeout", timeout);

            assertEquals(2, run.exit(), timeout + ": " + run.stdout() + run.stderr());
            assertTrue((run.stdout() + run.stderr()).contains("--timeout"), run.stdout() + run.stderr());
        }
    }

    private List<String> storeFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("home/connections"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}

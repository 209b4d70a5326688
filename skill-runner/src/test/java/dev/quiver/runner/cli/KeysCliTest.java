package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code keys create --connections … --expires …} as an operator types it. */
class KeysCliTest {

    @TempDir
    Path dir;

    private record Ran(int exit, String stdout, String stderr) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(stdout);
        }
    }

    private Ran keys(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = dir.resolve("home").toString();
        all[2] = "keys";
        System.arraycopy(args, 0, all, 3, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(all, name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyLimitedToConnectionsWithAnExpiryIsCreatedAndListedWithoutItsSecret() throws Exception {
        Ran created = keys("create", "--role", "analyst", "--connections", "acme-*,globex", "--expires", "30d");
        assertEquals(0, created.exit(), created.stderr());
        JsonNode key = created.json();
        assertEquals("[\"acme-*\",\"globex\"]", key.path("connections").toString());
        assertTrue(Instant.parse(key.path("expires_at").asText()).isAfter(Instant.now().plusSeconds(29L * 86400)));

        Ran listed = keys("list");
        assertEquals(0, listed.exit(), listed.stderr());
        assertEquals("[\"acme-*\",\"globex\"]", listed.json().get(0).path("connections").toString());
        assertFalse(listed.stdout().contains(key.path("key").asText()));
        Ran json = keys("list", "--json");
        assertEquals(0, json.exit(), "--json is accepted, as by the other listings: " + json.stderr());
        assertEquals(listed.stdout(), json.stdout());
    }

    @Test
    void aBadPatternOrExpiryIsAUsageErrorAndCreatesNoKey() throws Exception {
        Ran badPattern = keys("create", "--role", "analyst", "--connections", "ACME/../x");
        assertEquals(ExitCodes.USAGE, badPattern.exit());
        assertEquals("INVALID_INPUT", badPattern.json().at("/error/code").asText(), badPattern.stdout());
        Ran badExpiry = keys("create", "--role", "analyst", "--expires", "yesterday");
        assertEquals(ExitCodes.USAGE, badExpiry.exit());
        assertEquals("[]", keys("list").stdout().strip().replaceAll("\\s", ""));
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §2 item 7: a connection added under another master key was accepted, leaving the store sealed under two
 * keys. The service is restarted on its home with another {@code master.key}.
 */
class MasterKeyTest {

    @TempDir
    Path dir;

    @Test
    void underAnotherMasterKeyAddingAndUsingAConnectionAreRefusedNamingTheCause() throws Exception {
        try (Service service = Service.start(dir)) {
            List<String> before = storeFiles(service.home());
            replaceMasterKey(service.home());
            service.restart();

            ObjectNode other = service.sandbox().connection();
            other.put("id", "second");
            Reply add = service.post("/api/v1/connections", Role.ADMIN, other.toString());
            Reply use = service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}");

            assertEquals(409, add.status(), "the store's state conflicts with the add: " + add.body());
            assertTrue(add.json().at("/error/message").asText().contains("master key"), add.body());
            assertTrue(add.json().at("/error/remediation").asText().contains("QUIVER_MASTER_KEY"), add.body());
            assertEquals(before, storeFiles(service.home()), "the store is unchanged");
            assertTrue(use.status() >= 400, use.body());
            assertTrue(use.json().at("/error/message").asText().contains("master key"), use.body());
            assertTrue(use.json().at("/error/remediation").asText().contains("QUIVER_MASTER_KEY"), use.body());
        }
    }

    @Test
    void aStoreWrittenWithoutAKeyCheckGetsOneOnFirstUseAndThenRefusesAnotherKey() throws Exception {
        try (Service service = Service.start(dir)) {
            Path check = service.home().resolve("connections/.keycheck");
            Files.deleteIfExists(check);
            service.restart();

            Reply use = service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}");
            assertEquals(200, use.status(), use.body());
            assertTrue(Files.isRegularFile(check), "the key check was written on first use");
            assertFalse(Files.readString(check, StandardCharsets.ISO_8859_1).contains(
                    Files.readString(service.home().resolve("master.key")).strip()), "the key check holds no key");

            replaceMasterKey(service.home());
            service.restart();
            ObjectNode other = service.sandbox().connection();
            other.put("id", "second");
            Reply add = service.post("/api/v1/connections", Role.ADMIN, other.toString());
            assertTrue(add.status() >= 400, add.body());
            assertEquals(404, service.get("/api/v1/connections/second", Role.ADMIN).status());
        }
    }

    private static void replaceMasterKey(Path home) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(home.resolve("master.key"), Base64.getEncoder().encodeToString(key));
    }

    private static List<String> storeFiles(Path home) throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("connections"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}

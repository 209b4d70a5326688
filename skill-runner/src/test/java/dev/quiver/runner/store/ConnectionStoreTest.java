package dev.quiver.runner.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.ConnectionReader;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.schema.JsonSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionStoreTest {

    private static final String CANARY = "cfTok3n-STORE-CANARY-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final JsonSchemas SCHEMAS = new JsonSchemas();

    @TempDir
    Path home;

    private ConnectionStore store(Function<String, String> env) {
        return new ConnectionStore(home.resolve("connections"), () -> {
            try {
                return MasterKey.load(home, env);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, new ConnectionReader(SCHEMAS, env));
    }

    private Path connectionFile(String id) throws IOException {
        return Files.writeString(home.resolve(id + "-source.json"), "{\"id\": \"" + id + "\", \"type\": \"cloudflare\","
                + " \"auth\": {\"method\": \"api_token\", \"token\": \"${env:CF_API_TOKEN}\"},"
                + " \"account_id\": \"023e105f4ecef8ad9ca31a8372d0c353\", \"permissions\": [\"Zone Read\"]}");
    }

    private static final Function<String, String> ENV = Map.of("CF_API_TOKEN", CANARY)::get;

    @Test
    void aConnectionReplacedOrRemovedByAnotherProcessIsSeenAtOnce() throws Exception {
        ConnectionStore service = store(ENV);
        ConnectionStore cli = store(Map.of("CF_API_TOKEN", "cfTok3n-rotated")::get);
        service.add(connectionFile("acme"));
        assertEquals(CANARY, service.find("acme").orElseThrow().credential().values().get("token"));

        cli.remove("acme");
        assertTrue(service.find("acme").isEmpty(), "the removal is seen though the connection was opened before");
        cli.add(connectionFile("acme"));

        assertEquals("cfTok3n-rotated", service.find("acme").orElseThrow().credential().values().get("token"));
    }

    @Test
    void replacingAConnectionSwapsItInOneStepAndABadReplacementChangesNothing() throws Exception {
        ConnectionStore store = store(ENV);
        store.add(connectionFile("acme"));
        String before = Files.readString(home.resolve("connections/acme.json"));
        var replacement = dev.quiver.runner.internal.Json.MAPPER.readTree("{\"id\": \"acme\", \"type\":"
                + " \"cloudflare\", \"auth\": {\"method\": \"api_token\", \"token\": \"cfTok3n-replaced\"},"
                + " \"account_id\": \"023e105f4ecef8ad9ca31a8372d0c353\"}");
        JsonNode summary = store.replaceRemote(replacement, "test");
        assertEquals("cfTok3n-replaced", store.find("acme").orElseThrow().credential().values().get("token"));
        assertFalse(summary.toString().contains("cfTok3n-replaced"));
        assertFalse(Files.readString(home.resolve("connections/acme.json")).contains("cfTok3n-replaced"), "sealed");

        String replaced = Files.readString(home.resolve("connections/acme.json"));
        var bad = ((com.fasterxml.jackson.databind.node.ObjectNode) replacement.deepCopy()).put("permissions", "Zone Read");  // not an array
        FailureException refused = assertThrows(FailureException.class, () -> store.replaceRemote(bad, "test"));
        assertFalse(refused.failure().message().contains("cfTok3n"), refused.failure().message());
        assertEquals(replaced, Files.readString(home.resolve("connections/acme.json")), "unchanged");
        assertFalse(before.equals(replaced));
        try (Stream<Path> files = Files.list(home.resolve("connections"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void theRefreshLockKeepsOneHolderAtATimeAndCarriesAFailureOut() throws Exception {
        ConnectionStore store = store(ENV);
        store.add(connectionFile("acme"));
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                done.add(threads.submit(() -> store.underRefreshLock("acme", () -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);  // hold it a while
                    return inside.decrementAndGet();
                })));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, most.get(), "one holder at a time");
        FailureException failure = dev.quiver.runner.failure.Failure.of(ErrorCode.AUTHENTICATION_FAILED, "gone",
                null).raise();
        assertEquals(failure, assertThrows(FailureException.class,
                () -> store.underRefreshLock("acme", () -> {
                    throw failure;
                })));
    }

    @Test
    void aStoredConnectionComesBackWithItsSecretWhileNoFileHoldsIt() throws Exception {
        ConnectionStore store = store(ENV);
        JsonNode summary = store.add(connectionFile("acme"));
        Files.delete(home.resolve("acme-source.json"));

        Connection connection = store.find("acme").orElseThrow();

        assertEquals(CANARY, connection.credential().values().get("token"));
        assertEquals(List.of("Zone Read"), connection.permissions());
        assertFalse(summary.toString().contains(CANARY));
        assertEquals(connection.credential().fingerprint(), summary.path("fingerprint").asText());
        assertFalse(store.list().toString().contains(CANARY));
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(CANARY), file.toString());
            }
        }
    }

    @Test
    void ofConcurrentAddsWithOneIdExactlyOneWinsAndTheOthersChangeNothing() throws Exception {
        ConnectionStore store = store(ENV);
        Path file = connectionFile("race");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> adds = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            adds.add(pool.submit(() -> {
                start.await();
                try {
                    store.add(file);
                    return true;
                } catch (dev.quiver.runner.failure.Failure.FailureException e) {
                    assertTrue(ConnectionStore.isConflict(e.failure()), e.failure().message());
                    return false;
                }
            }));
        }
        start.countDown();
        int won = 0;
        for (var add : adds) {
            won += add.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
        assertEquals(CANARY, store.find("race").orElseThrow().credential().values().get("token"));
        try (Stream<Path> files = Files.list(home.resolve("connections"))) {
            assertEquals(List.of(".keycheck", "race.json"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary file left behind");
        }
    }

    @Test
    void theKeyFileAndTheStoreAreOwnerOnly() throws Exception {
        store(ENV).add(connectionFile("acme"));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("master.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("connections/acme.json"))));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("connections"))));
    }

    @Test
    void anotherMasterKeyCannotOpenTheSecrets() throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        store(Map.of("CF_API_TOKEN", CANARY, MasterKey.ENV, key)::get).add(connectionFile("acme"));
        String other = Base64.getEncoder().encodeToString("another key, also 32 bytes long!".getBytes(StandardCharsets.US_ASCII));

        FailureException e = assertThrows(FailureException.class,
                () -> store(Map.of(MasterKey.ENV, other)::get).find("acme"));

        assertEquals(ErrorCode.STORE_LOCKED, e.failure().code());
        assertTrue(e.failure().message().contains("master key"));
    }

    @Test
    void secretsMovedToAnotherConnectionIdDoNotOpen() throws Exception {
        ConnectionStore store = store(ENV);
        store.add(connectionFile("acme"));
        String stored = Files.readString(home.resolve("connections/acme.json"));
        Files.writeString(home.resolve("connections/evil.json"), stored.replace("\"id\":\"acme\"", "\"id\":\"evil\""));

        assertThrows(FailureException.class, () -> store.find("evil"));
    }

    @Test
    void addingAnExistingIdChangesNothing() throws Exception {
        ConnectionStore store = store(ENV);
        store.add(connectionFile("acme"));
        byte[] before = Files.readAllBytes(home.resolve("connections/acme.json"));

        FailureException e = assertThrows(FailureException.class, () -> store.add(connectionFile("acme")));

        assertEquals(ErrorCode.INVALID_INPUT, e.failure().code());
        assertEquals(new String(before), Files.readString(home.resolve("connections/acme.json")));
    }

    @Test
    void removeForgetsTheConnectionAndLeavesNoTemporaryFiles() throws Exception {
        ConnectionStore store = store(ENV);
        store.add(connectionFile("acme"));
        store.add(connectionFile("other"));

        assertTrue(store.remove("acme"));
        assertFalse(store.remove("acme"));
        assertTrue(store.find("acme").isEmpty());
        assertEquals(List.of("other"), store.list().stream().map(c -> c.path("id").asText()).toList());
        try (Stream<Path> files = Files.list(home.resolve("connections"))) {
            assertEquals(List.of(".keycheck", "other.json"), files.map(f -> f.getFileName().toString()).sorted()
                    .toList());
        }
    }

    @Test
    void aMalformedMasterKeyIsAClearErrorWithoutItsValue() throws Exception {
        ConnectionStore store = store(Map.of("CF_API_TOKEN", CANARY, MasterKey.ENV, "not-a-key")::get);

        FailureException e = assertThrows(FailureException.class, () -> store.add(connectionFile("acme")));

        assertTrue(e.failure().message().contains("QUIVER_MASTER_KEY"));
        assertFalse(e.failure().message().contains("not-a-key"));
    }

    @Test
    void aPathLikeIdIsNeverLookedUp() throws Exception {
        Path outside = Files.writeString(home.resolve("outside.json"), "{}");

        assertFalse(store(ENV).contains("../outside"));
        assertTrue(store(ENV).find("../outside").isEmpty());
        assertFalse(store(ENV).remove("../outside"));
        assertTrue(Files.exists(outside));
    }
}

package dev.quiver.runner.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyStoreTest {

    @TempDir
    Path home;

    @Test
    void onlyTheKeysHashIsKeptAndTheKeyAuthenticatesUntilRevoked() throws Exception {
        ApiKeyStore store = new ApiKeyStore(home);
        ApiKeyStore.CreatedKey created = store.create(Role.ANALYST);
        String file = Files.readString(home.resolve("keys.json"));
        assertFalse(file.contains(created.key().substring(created.key().indexOf('.') + 1)), "the secret part");
        assertTrue(file.contains(created.apiKey().id()));

        ApiKeyStore other = new ApiKeyStore(home);  // another process, e.g. the running service
        assertEquals(Role.ANALYST, other.authenticate(created.key()).orElseThrow().role());
        assertTrue(other.authenticate(created.key() + "x").isEmpty(), "a wrong secret with a right id");
        assertTrue(other.authenticate("qk_nope.x").isEmpty());
        assertTrue(store.revoke(created.apiKey().id()));
        assertTrue(other.authenticate(created.key()).isEmpty(), "revoked: refused from the next request");
        assertFalse(store.revoke(created.apiKey().id()), "already revoked");
    }

    @Test
    void theFirstAdminIsCreatedOnlyWhileNoKeyIsActiveAndConcurrentCreatesAreAllKept() throws Exception {
        ApiKeyStore store = new ApiKeyStore(home);
        assertTrue(store.createFirstAdmin().isPresent());
        assertTrue(store.createFirstAdmin().isEmpty());

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ApiKeyStore.CreatedKey>> created = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ApiKeyStore separate = new ApiKeyStore(home);
            created.add(pool.submit(() -> separate.create(Role.VIEWER)));
        }
        for (Future<ApiKeyStore.CreatedKey> key : created) {
            assertTrue(store.authenticate(key.get().key()).isPresent());
        }
        pool.shutdown();
        assertEquals(41, store.keys().size());
    }
}

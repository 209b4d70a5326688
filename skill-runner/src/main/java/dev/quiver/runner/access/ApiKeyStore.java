package dev.quiver.runner.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.files.AtomicFiles;
import dev.quiver.runner.files.FileLocks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The HTTP service's API keys, in {@code keys.json} in the home folder. Only each key's SHA-256 is kept; the key
 * itself is shown once, when it is created. A key is {@code <id>.<secret>}, so a lookup needs no scan and the id
 * can be logged and recorded safely. SHA-256 rather than a slow hash because the secret is 256 random bits, not a
 * password.
 *
 * <p>Changes are read-modify-write under a file lock and land atomically, so a {@code keys} command and a running
 * service never lose each other's change; the service sees a change (a revocation) on its next request.
 */
public final class ApiKeyStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final Path lock;
    private final Path firstAdminLock;
    private volatile Snapshot snapshot = new Snapshot(null, -1, List.of());

    public ApiKeyStore(Path home) {
        this.file = home.resolve("keys.json");
        this.lock = home.resolve(".keys.lock");
        this.firstAdminLock = home.resolve(".first-admin.lock");
    }

    /** A key just created: the only time {@code key} exists outside its holder's hands. */
    public record CreatedKey(ApiKey apiKey, String key) {
    }

    /** Creates a key with {@code role} for every connection, never expiring. */
    public CreatedKey create(Role role) {
        return create(role, ConnectionScope.all(), null);
    }

    /**
     * Creates a key with {@code role}, limited to the connections in {@code scope}, working until {@code expiresAt}
     * ({@code null}: never).
     */
    public CreatedKey create(Role role, ConnectionScope scope, Instant expiresAt) {
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = "qk_" + HEX.formatHex(idBytes);
        String key = id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey apiKey = new ApiKey(id, role, sha256(key), Instant.now(), null, scope, expiresAt);
        update(keys -> {
            List<ApiKey> more = new ArrayList<>(keys);
            more.add(apiKey);
            return more;
        });
        return new CreatedKey(apiKey, key);
    }

    /** Creates an admin key if no key is active, for a service's first start; empty when one was. */
    public Optional<CreatedKey> createFirstAdmin() {
        try {
            return FileLocks.withLock(firstAdminLock, () -> keys().stream().anyMatch(ApiKey::active)
                    ? Optional.<CreatedKey>empty() : Optional.of(create(Role.ADMIN)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + firstAdminLock, e);
        }
    }

    /** Every key ever created, revoked ones included, oldest first. */
    public List<ApiKey> keys() {
        return current().keys();
    }

    /** Revokes a key; false when there is no unrevoked key with this id. */
    public boolean revoke(String id) {
        boolean[] revoked = {false};
        update(keys -> keys.stream().map(k -> {
            if (k.id().equals(id) && k.revokedAt() == null) {
                revoked[0] = true;
                return k.revoked(Instant.now());
            }
            return k;
        }).toList());
        return revoked[0];
    }

    /** The active (neither revoked nor expired) key that {@code presented} is, if any. Constant-time in the secret. */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        int dot = presented.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String id = presented.substring(0, dot);
        byte[] hash = HEX.parseHex(sha256(presented));
        for (ApiKey key : current().keys()) {
            if (key.id().equals(id)) {
                return key.active() && MessageDigest.isEqual(hash, HEX.parseHex(key.hash()))
                        ? Optional.of(key) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether the store can be read (for the health check). */
    public boolean readable() {
        try {
            current();
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private record Snapshot(FileTime modified, long size, List<ApiKey> keys) {
    }

    // Re-read only when the file changed, so a request costs one stat.
    private Snapshot current() {
        try {
            FileTime modified;
            long size;
            try {
                modified = Files.getLastModifiedTime(file);
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                return new Snapshot(null, -1, List.of());
            }
            Snapshot seen = snapshot;
            if (modified.equals(seen.modified()) && size == seen.size()) {
                return seen;
            }
            Snapshot fresh = new Snapshot(modified, size, parse(Files.readAllBytes(file)));
            snapshot = fresh;
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void update(UnaryOperator<List<ApiKey>> change) {
        try {
            Files.createDirectories(file.getParent());
            FileLocks.withLock(lock, () -> {
                List<ApiKey> keys = Files.exists(file) ? parse(Files.readAllBytes(file)) : List.of();
                AtomicFiles.write(file, render(change.apply(keys)));
                snapshot = new Snapshot(null, -1, List.of());
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static List<ApiKey> parse(byte[] bytes) throws IOException {
        List<ApiKey> keys = new ArrayList<>();
        for (JsonNode node : Json.MAPPER.readTree(bytes).path("keys")) {
            // Keys written before scopes and expiry existed have neither field: every connection, no expiry.
            List<String> connections = new ArrayList<>();
            node.path("connections").forEach(c -> connections.add(c.asText()));
            keys.add(new ApiKey(node.path("id").asText(), Role.parse(node.path("role").asText()).orElseThrow(() ->
                    new IOException("key " + node.path("id").asText() + " has an unknown role")),
                    node.path("sha256").asText(), Instant.parse(node.path("created_at").asText()),
                    instant(node, "revoked_at"),
                    node.has("connections") ? ConnectionScope.of(connections) : ConnectionScope.all(),
                    instant(node, "expires_at")));
        }
        return keys;
    }

    private static byte[] render(List<ApiKey> keys) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", 1);
        ArrayNode array = root.putArray("keys");
        for (ApiKey key : keys) {
            ObjectNode node = array.addObject();
            node.put("id", key.id());
            node.put("role", key.role().jsonName());
            node.put("sha256", key.hash());
            node.put("created_at", key.createdAt().toString());
            if (key.revokedAt() != null) {
                node.put("revoked_at", key.revokedAt().toString());
            }
            key.scope().patterns().ifPresent(patterns -> patterns.forEach(node.putArray("connections")::add));
            if (key.expiresAt() != null) {
                node.put("expires_at", key.expiresAt().toString());
            }
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    private static Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.path(field).asText()) : null;
    }

    private static String sha256(String key) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.quiver.runner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import dev.quiver.runner.files.AtomicFiles;

/**
 * The connection store's key-check value, {@code connections/.keycheck}: a constant sealed with AES-256-GCM under
 * the master key the store's secrets are sealed with. Only that key opens it, so a process started with another
 * {@code QUIVER_MASTER_KEY} is told so before it seals a secret the others cannot open. It holds neither the key nor
 * a hash of it: opening it proves the key without saying anything about it.
 */
final class KeyCheck {

    static final String FILE = ".keycheck";
    private static final String CONTEXT = "quiver connection store key check";
    private static final byte[] CONSTANT = "quiver master key check, format 1".getBytes(StandardCharsets.UTF_8);

    private final Path file;

    KeyCheck(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Whether {@code key} opens the check; empty when there is no check yet. */
    Optional<Boolean> opens(MasterKey key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode check = Json.MAPPER.readTree(Files.readAllBytes(file));
            byte[] plain = key.open(new MasterKey.Sealed(
                    Base64.getDecoder().decode(check.path("nonce").asText()),
                    Base64.getDecoder().decode(check.path("ciphertext").asText())), CONTEXT);
            return Optional.of(Arrays.equals(plain, CONSTANT));
        } catch (GeneralSecurityException | IllegalArgumentException | IOException anotherKeyOrDamaged) {
            return Optional.of(false);
        }
    }

    /**
     * Writes the check under {@code key} unless there is one: of two processes racing to write it, one wins.
     *
     * @return whether {@code key} opens the check there is now
     */
    boolean create(MasterKey key) throws IOException {
        MasterKey.Sealed sealed = key.seal(CONSTANT, CONTEXT);
        ObjectNode check = Json.MAPPER.createObjectNode();
        check.put("format", 1);
        check.put("alg", "AES-256-GCM");
        check.put("nonce", Base64.getEncoder().encodeToString(sealed.nonce()));
        check.put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
        Files.createDirectories(file.getParent());
        AtomicFiles.ownerOnly(file.getParent());
        return AtomicFiles.writeNew(file, Json.MAPPER.writeValueAsBytes(check)) || opens(key).orElse(false);
    }
}

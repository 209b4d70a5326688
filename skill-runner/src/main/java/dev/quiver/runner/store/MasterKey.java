package dev.quiver.runner.store;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;
import dev.quiver.runner.files.AtomicFiles;

/**
 * The AES-256 key that seals secrets at rest: {@code QUIVER_MASTER_KEY} (base64 of 32 bytes) or, failing that, the
 * owner-only file {@code master.key} in the home folder, created on first use.
 */
public final class MasterKey {

    public static final String ENV = "QUIVER_MASTER_KEY";
    static final String FILE = "master.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The key from the environment, else from the home's key file (created when absent).
     *
     * @throws IllegalArgumentException when {@code QUIVER_MASTER_KEY} or the key file is not base64 of 32 bytes
     */
    public static MasterKey load(Path home, Function<String, String> environment) throws IOException {
        String fromEnv = environment.apply(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new MasterKey(decode(fromEnv, ENV));
        }
        Path file = home.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            // The file appears whole or not at all: a concurrent first use reads a complete key, never a partial one.
            AtomicFiles.writeNew(file, Base64.getEncoder().encode(fresh));
        }
        return new MasterKey(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
    }

    private static byte[] decode(String text, String source) {
        try {
            byte[] key = Base64.getDecoder().decode(text.strip());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below without echoing the value
        }
        throw new IllegalArgumentException(source + " must be the base64 of 32 random bytes (e.g. the output of"
                + " 'openssl rand -base64 32')");
    }

    /** Encrypts {@code plain}, bound to {@code context} (the value's owner, e.g. a connection id). */
    Sealed seal(byte[] plain, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made for the same {@code context}.
     *
     * @throws GeneralSecurityException when the key is another one, or the data or its context were altered
     */
    byte[] open(Sealed sealed, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed.ciphertext());
    }

    /** A nonce and the ciphertext with its GCM tag. */
    record Sealed(byte[] nonce, byte[] ciphertext) {
    }
}

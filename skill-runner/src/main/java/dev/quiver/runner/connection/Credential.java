package dev.quiver.runner.connection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A connection's resolved secret: the auth method and its field values. Its {@link #toString()} never shows the
 * values; only the transport reads them, to build request headers.
 */
public final class Credential {

    private final String method;
    private final Map<String, String> values;

    public Credential(String method, Map<String, String> values) {
        this.method = method;
        this.values = Map.copyOf(values);
    }

    /** The auth method ({@code api_token}). */
    public String method() {
        return method;
    }

    /** The secret field values, for the transport and the redactor only. */
    public Map<String, String> values() {
        return values;
    }

    /** A stable, non-reversible id of this credential: 16 hex digits of SHA-256 over the method and the values. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(method.getBytes(StandardCharsets.UTF_8));
            new TreeMap<>(values).forEach((k, v) -> {
                sha.update((byte) 0);
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Credential[" + method + ", values redacted]";
    }
}

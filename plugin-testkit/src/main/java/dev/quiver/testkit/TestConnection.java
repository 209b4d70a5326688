package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.gate.Holder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A connection for a test: what a connection file holds, already resolved. Immutable; each {@code with…} returns a
 * copy.
 *
 * @param id          the connection's id
 * @param type        the connection type's id
 * @param authMethod  the auth method's name
 * @param secrets     the auth fields' values
 * @param permissions the permissions it lists, or {@code null} for unknown (the gate then warns and lets the vendor
 *                    decide)
 * @param settings    the type's settings
 * @param baseUrl     the API's base URL (a WireMock or simulator URL in tests)
 */
public record TestConnection(String id, String type, String authMethod, Map<String, String> secrets,
                             List<String> permissions, ObjectNode settings, String baseUrl) {

    public TestConnection {
        secrets = Map.copyOf(secrets);
        permissions = permissions == null ? null : List.copyOf(permissions);
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /** A connection with this credential, no settings, permissions unknown. */
    public static TestConnection of(String type, String authMethod, Map<String, String> secrets, String baseUrl) {
        return new TestConnection("test", type, authMethod, secrets, null, null, baseUrl);
    }

    public TestConnection withPermissions(List<String> held) {
        return new TestConnection(id, type, authMethod, secrets, held, settings, baseUrl);
    }

    public TestConnection withSettings(JsonNode newSettings) {
        return new TestConnection(id, type, authMethod, secrets, permissions, (ObjectNode) newSettings, baseUrl);
    }

    /** With one more string setting. */
    public TestConnection withSetting(String name, String value) {
        ObjectNode copy = settings.deepCopy();
        copy.put(name, value);
        return new TestConnection(id, type, authMethod, secrets, permissions, copy, baseUrl);
    }

    public TestConnection withBaseUrl(String url) {
        return new TestConnection(id, type, authMethod, secrets, permissions, settings, url);
    }

    public TestConnection withId(String newId) {
        return new TestConnection(newId, type, authMethod, secrets, permissions, settings, baseUrl);
    }

    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /** What a skill sees of it: as the runner builds it (the fingerprint is a digest of the credential). */
    public ConnectionInfo info() {
        return new ConnectionInfo(id, type, authMethod, settings, fingerprint());
    }

    /** What the gate sees of it. */
    public Holder holder() {
        return new Holder(id, authMethod, permissions, settings);
    }

    private String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(authMethod.getBytes(StandardCharsets.UTF_8));
            new TreeMap<>(secrets).forEach((k, v) -> sha.update((k + "\u0000" + v).getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TestConnection[" + id + ", " + type + ", " + authMethod + ", secrets redacted]";
    }
}

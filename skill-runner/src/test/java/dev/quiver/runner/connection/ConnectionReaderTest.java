package dev.quiver.runner.connection;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.quiver.runner.testing.TestSkills.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionReaderTest {

    private static final String CANARY = "canary-7f3a9c1e5b2d4f60";
    private static final JsonSchemas SCHEMAS = new JsonSchemas();

    private static ConnectionReader reader(Map<String, String> env) {
        return new ConnectionReader(SCHEMAS, env::get, id -> TestSkills.catalog().knownType(id));
    }

    private static String connection(String auth) {
        return "{\"id\":\"acme\",\"type\":\"acme\",\"auth\":" + auth
                + ",\"account_id\":\"023e105f4ecef8ad9ca31a8372d0c353\"}";
    }

    @Test
    void resolvesAnEnvironmentReference() throws Exception {
        Connection c = reader(Map.of("CF_TOKEN", CANARY)).read(json(connection(
                "{\"method\":\"api_token\",\"token\":\"${env:CF_TOKEN}\"}")), "test");
        assertEquals(CANARY, c.credential().values().get("token"));
        assertNull(c.permissions(), "absent permissions are unknown, not empty");
        assertEquals("023e105f4ecef8ad9ca31a8372d0c353", c.setting("account_id").asText(), "settings are kept");
        assertFalse(c.settings().has("auth"), "the common fields are not settings");
    }

    @Test
    void resolvesAFileReferenceWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("key"), CANARY + "\n");
        Connection c = reader(Map.of()).read(json(connection("{\"method\":\"global_api_key\",\"email\":\"a@b.co\","
                + "\"key\":\"${file:" + secret + "}\"}")), "test");
        assertEquals(CANARY, c.credential().values().get("key"));
    }

    @Test
    void unsetVariableIsNamedWithoutAnyValue() {
        FailureException e = assertThrows(FailureException.class, () -> reader(Map.of()).read(json(connection(
                "{\"method\":\"api_token\",\"token\":\"${env:CF_TOKEN}\"}")), "test"));
        assertEquals(ErrorCode.SECRET_UNAVAILABLE, e.failure().code());
        assertTrue(e.failure().message().contains("CF_TOKEN"));
    }

    @Test
    void invalidConnectionNamesPointersButNeverTheSecret() {
        FailureException e = assertThrows(FailureException.class, () -> reader(Map.of()).read(json(
                "{\"id\":\"acme\",\"type\":\"acme\",\"auth\":{\"method\":\"api_token\",\"token\":\"" + CANARY
                        + "\",\"extra\":\"" + CANARY + "\"}}"), "test"));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.failure().code());
        assertFalse(e.failure().toString().contains(CANARY));
        assertTrue(e.failure().details().stream().anyMatch(d -> "".equals(d.get("pointer"))
                || String.valueOf(d.get("pointer")).startsWith("/")));
    }

    @Test
    void aMistypedFieldIsNamedWithTheFieldMeant() {
        FailureException e = assertThrows(FailureException.class, () -> reader(Map.of()).read(json(
                "{\"id\":\"acme\",\"type\":\"acme\",\"auth\":{\"method\":\"api_token\",\"token\":\"t0ken-1\"},"
                        + "\"account_id\":\"023e105f4ecef8ad9ca31a8372d0c353\",\"permisions\":[\"Zone Read\"]}"), "test"));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.failure().code());
        assertTrue(e.failure().message().contains("property 'permisions' is not allowed; did you mean"
                + " 'permissions'?"), e.failure().message());
        assertTrue(e.failure().details().stream().allMatch(d -> d.containsKey("message")), e.failure().toString());
        assertFalse(e.failure().remediation().contains("schemas/connection.schema.json"),
                "no path a user of the jar cannot find: " + e.failure().remediation());
    }

    @Test
    void credentialNeverPrintsItsValues() throws Exception {
        Connection c = reader(Map.of()).read(json(connection("{\"method\":\"api_token\",\"token\":\"" + CANARY
                + "\"}")), "test");
        assertFalse(c.toString().contains(CANARY));
        assertFalse(c.info().toString().contains(CANARY));
        assertEquals(16, c.info().credentialFingerprint().length());
    }

    @Test
    void anAuthMethodTheTypeDoesNotDeclareIsRefusedAtItsPointer() {
        FailureException e = assertThrows(FailureException.class, () -> reader(Map.of()).read(json(connection(
                "{\"method\":\"basic\",\"token\":\"" + CANARY + "\"}")), "test"));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.failure().code());
        assertEquals("/auth/method", e.failure().details().get(0).get("pointer"));
        assertFalse(e.failure().toString().contains(CANARY));
    }

    @Test
    void settingsAreCheckedAgainstTheTypesSettingsSchema() {
        FailureException e = assertThrows(FailureException.class, () -> reader(Map.of()).read(json(
                "{\"id\":\"acme\",\"type\":\"acme\",\"auth\":{\"method\":\"api_token\",\"token\":\"t0ken-1\"},"
                        + "\"organization_url\":\"https://acme.example\"}"), "test"));
        assertEquals(ErrorCode.INVALID_CONNECTION, e.failure().code());
        assertTrue(e.failure().remediation().contains("settings schema of connection type acme"),
                e.failure().remediation());
    }

    @Test
    void aConnectionOfATypeNoPluginProvidesIsReadAsItIsWithItsSettings() throws Exception {
        Connection c = reader(Map.of()).read(json("{\"id\":\"other\",\"type\":\"other_vendor\",\"auth\":"
                + "{\"method\":\"api_key\",\"key\":\"k-123456789\"},\"organization_url\":\"https://o.example/42\"}"),
                "test");
        assertEquals("https://o.example/42", c.info().setting("organization_url"));
        assertEquals("k-123456789", c.credential().values().get("key"));
    }
}

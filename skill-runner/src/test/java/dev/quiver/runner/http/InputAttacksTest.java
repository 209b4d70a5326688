package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the service's input handling from an outside review (issue 11 §2: items 1, 5, 6, 9 and 11), each
 * replayed through the real service on a random port.
 */
class InputAttacksTest {

    private static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";
    private static final String ZONE_DETAILS = "/api/v1/skills/cloudflare_get_zone_details/executions";

    @TempDir
    static Path dir;
    private static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    // Item 1: a secret pasted into a field the schema refuses came back verbatim from the execution records.
    @Test
    void aRefusedInputValueIsNeitherRecordedNorShownToViewers() {
        String pasted = "cfsecret_" + Long.toHexString(System.nanoTime()) + "_pasted_into_zone_id";

        Reply refused = service.execute("cloudflare_get_zone_details", Role.ANALYST,
                "{\"zone_id\": \"" + pasted + "\"}");

        assertEquals(400, refused.status(), refused.body());
        Reply records = service.get("/api/v1/executions?limit=1000", Role.VIEWER);
        assertEquals(200, records.status(), records.body());
        assertFalse(records.body().contains(pasted), "the refused value was recorded: " + records.body());
        JsonNode recorded = record(records, refused.json().at("/error/execution_id").asText()).path("input");
        assertEquals("/zone_id", recorded.at("/refused/0/pointer").asText(), recorded.toString());
        assertEquals("pattern", recorded.at("/refused/0/keyword").asText(), recorded.toString());
    }

    // Item 1: a huge refused value made a record as large as itself.
    @Test
    void aHugeRefusedInputValueMakesASmallRecord() {
        String huge = "z".repeat(900_000);

        Reply refused = service.execute("cloudflare_get_zone_details", Role.ANALYST, "{\"zone_id\": \"" + huge + "\"}");

        assertEquals(400, refused.status(), refused.body().substring(0, Math.min(300, refused.body().length())));
        Reply one = service.get("/api/v1/executions/" + refused.json().at("/error/execution_id").asText(),
                Role.VIEWER);
        assertEquals(200, one.status(), one.body().substring(0, Math.min(300, one.body().length())));
        assertTrue(one.body().length() < 4_000, "the record is " + one.body().length() + " chars");
    }

    // Item 1: an accepted input is still recorded as before (ids the schema pins down are kept).
    @Test
    void anAcceptedInputIsRecordedAsTheSchemaAllows() {
        Reply ran = service.execute("cloudflare_get_zone_details", Role.ANALYST,
                "{\"zone_id\": \"" + service.sandbox().connection().path("zone_id").asText() + "\"}");

        assertEquals(200, ran.status(), ran.body());
        JsonNode recorded = record(service.get("/api/v1/executions?limit=1000", Role.VIEWER),
                ran.json().path("execution_id").asText()).path("input");
        assertEquals(service.sandbox().connection().path("zone_id").asText(), recorded.path("zone_id").asText(),
                recorded.toString());
    }

    // Item 5: 200,000 bad array items gave a 79 MB error body.
    @Test
    void aViolationListIsCappedAtFiftyWithTheTotalCount() {
        StringBuilder severities = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) {
            severities.append(i == 0 ? "" : ",").append('1');
        }
        severities.append(']');

        long started = System.nanoTime();
        Reply refused = service.execute("cloudflare_get_security_insights", Role.ANALYST,
                "{\"severity\": " + severities + "}");
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("200000 bad items refused in " + millis + " ms, body " + refused.body().length()
                + " chars");
        assertEquals(400, refused.status(), refused.body().substring(0, Math.min(300, refused.body().length())));
        JsonNode error = refused.json().path("error");
        assertEquals(50, error.path("details").size(), "details listed");
        long total = error.path("details_total").asLong();
        assertTrue(total >= 200_000, "details_total " + total);
        assertTrue(error.path("message").asText().contains("(" + total + " violations; the first 50 are listed)"),
                error.path("message").asText());
        assertTrue(refused.body().length() < 64_000, "the error body is " + refused.body().length() + " chars");
        assertEquals(List.of(), new JsonSchemas().builtIn("error").validate(refused.json()).listed(),
                "the capped error follows the error schema");
        JsonNode recorded = record(service.get("/api/v1/executions?limit=1000", Role.VIEWER),
                error.path("execution_id").asText()).path("input");
        assertTrue(recorded.path("refused").size() <= 50, recorded.toString());
    }

    // Item 6: a duplicate key let one value be checked and another be used (or stored).
    @Test
    void duplicateKeysInAnExecutionBodyAreRefusedWithLineAndColumn() {
        Reply refused = service.post(ZONE_DETAILS, Role.ANALYST, "{\"connection\": \"sandbox\",\n"
                + "\"input\": {\"zone_id\": \"" + ZONE + "\", \"zone_id\": \"" + ZONE + "\"}}");

        assertEquals(400, refused.status(), refused.body());
        String message = refused.json().at("/error/message").asText();
        assertTrue(message.contains("duplicate key 'zone_id'"), message);
        assertTrue(message.contains("line 2, column"), message);
        assertFalse(refused.body().contains("Feature"), refused.body());
        assertFalse(refused.body().contains("Source:"), refused.body());
    }

    @Test
    void duplicateKeysInAConnectionBodyAreRefused() {
        ObjectNode connection = service.sandbox().connection();
        String json = connection.put("id", "dup-keys").toString()
                .replace("\"method\":\"api_token\"", "\"method\":\"api_token\",\"token\":\"first-token-value\"");

        Reply refused = service.post("/api/v1/connections", Role.ADMIN, json);

        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/message").asText().contains("duplicate key 'token'"), refused.body());
        assertEquals(404, service.get("/api/v1/connections/dup-keys", Role.ADMIN).status());
    }

    @Test
    void aMalformedBodyIsDescribedWithoutParserInternals() {
        Reply refused = service.post(ZONE_DETAILS, Role.ANALYST, "{\"connection\": \"sandbox\", // comment\n}");

        assertEquals(400, refused.status(), refused.body());
        String message = refused.json().at("/error/message").asText();
        assertTrue(message.contains("line 1, column"), message);
        assertFalse(message.contains("Feature") || message.contains("ALLOW_") || message.contains("Source:"),
                message);
    }

    // Item 6: a body that is not UTF-8 was decoded leniently and a U+FFFD stored inside the secret.
    @Test
    void aConnectionBodyThatIsNotUtf8IsRefusedAndNothingIsStored() {
        ObjectNode connection = service.sandbox().connection();
        connection.put("id", "latin1");
        ((ObjectNode) connection.get("auth")).put("token", "tok-MARK-value");
        byte[] utf8 = connection.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(utf8, StandardCharsets.UTF_8);
        int mark = text.indexOf("MARK");
        body.write(utf8, 0, mark);
        body.write(0xE9); // "é" in Latin-1: no UTF-8 sequence starts with it alone
        body.write(utf8, mark + 4, utf8.length - mark - 4);

        Reply refused = service.send("POST", "/api/v1/connections", service.key(Role.ADMIN), "application/json",
                body.toByteArray());

        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/message").asText().contains("UTF-8"), refused.body());
        assertEquals(404, service.get("/api/v1/connections/latin1", Role.ADMIN).status());
    }

    // Found by the by-hand replay: an escaped lone surrogate is valid JSON text but no character; stored, the
    // secret silently became "ab?cd".
    @Test
    void aSecretWithAnEscapedLoneSurrogateIsRefusedAndNothingIsStored() {
        ObjectNode connection = service.sandbox().connection();
        connection.put("id", "surrogate");
        String body = connection.toString().replaceFirst("\"token\":\"[^\"]*\"", "\"token\":\"ab\\\\ud800cd\"");
        assertTrue(body.contains("ab\\ud800cd"), body);

        Reply refused = service.post("/api/v1/connections", Role.ADMIN, body);

        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/message").asText().contains("/auth/token"), refused.body());
        assertEquals(404, service.get("/api/v1/connections/surrogate", Role.ADMIN).status());
    }

    // Item 9: a connection could send its credential over plain http to any host.
    @Test
    void aPlainHttpBaseUrlIsRefusedOnAddNamingTheField() {
        ObjectNode connection = service.sandbox().connection();
        connection.put("id", "plain-http").put("base_url", "http://api.example.com/client/v4");

        Reply refused = service.post("/api/v1/connections", Role.ADMIN, connection.toString());

        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/message").asText().contains("base_url"), refused.body());
        assertEquals(404, service.get("/api/v1/connections/plain-http", Role.ADMIN).status());
    }

    @Test
    void httpsAndLoopbackBaseUrlsAreAccepted() {
        for (String url : List.of("https://api.example.com/client/v4", "http://localhost:8080/x",
                "http://127.0.0.2:9/client/v4", "http://[::1]:8080/")) {
            ObjectNode connection = service.sandbox().connection();
            String id = "ok-" + Integer.toHexString(url.hashCode());
            connection.put("id", id).put("base_url", url);

            Reply added = service.post("/api/v1/connections", Role.ADMIN, connection.toString());

            assertEquals(201, added.status(), url + ": " + added.body());
        }
        for (String url : List.of("http://127.0.0.1.example.com/", "http://localhost.example.com/",
                "http://10.0.0.1/")) {
            ObjectNode connection = service.sandbox().connection();
            connection.put("id", "bad-" + Integer.toHexString(url.hashCode())).put("base_url", url);

            assertEquals(400, service.post("/api/v1/connections", Role.ADMIN, connection.toString()).status(), url);
        }
    }

    // Item 11: timeout_seconds 1.5 was silently taken as 1.
    @Test
    void aFractionalZeroNegativeOrAbsurdTimeoutIsRefused() {
        for (String timeout : List.of("1.5", "0", "-3", "0.2", "1e9", "99999999999999999999", "\"10\"")) {
            Reply refused = service.post(ZONE_DETAILS, Role.ANALYST, "{\"connection\": \"sandbox\", \"input\": {},"
                    + " \"timeout_seconds\": " + timeout + "}");

            assertEquals(400, refused.status(), timeout + ": " + refused.body());
            assertTrue(refused.json().at("/error/message").asText().contains("timeout_seconds"), refused.body());
        }
        Reply whole = service.post(ZONE_DETAILS, Role.ANALYST, "{\"connection\": \"sandbox\", \"input\": {},"
                + " \"timeout_seconds\": 30}");
        assertEquals(200, whole.status(), whole.body());
    }

    private static JsonNode record(Reply records, String executionId) {
        for (JsonNode record : records.json().path("executions")) {
            if (record.path("execution_id").asText().equals(executionId)
                    || record.path("id").asText().equals(executionId)) {
                return record;
            }
        }
        throw new AssertionError("no record of " + executionId + " in " + records.body());
    }
}

package dev.quiver.runner.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTextTest {

    @Test
    void aDuplicateKeyIsRefusedWithItsLineAndColumn() {
        JsonText.Refused refused = assertThrows(JsonText.Refused.class,
                () -> JsonText.parse("{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}}"));

        assertEquals("duplicate key 'c' at line 2, column 19", refused.getMessage());
    }

    @Test
    void anEscapedLoneSurrogateInAValueOrAKeyIsRefusedAndAPairIsKept() throws Exception {
        for (String document : List.of("{\"a\": \"x\\ud800y\"}", "{\"a\": [\"\\udc00\"]}", "{\"\\ud800\": 1}",
                "{\"a\": \"x\\ud800\"}")) {
            assertThrows(JsonText.Refused.class, () -> JsonText.parse(document), document);
        }
        assertEquals("\ud83d\ude00", JsonText.parse("{\"a\": \"\\ud83d\\ude00\"}").path("a").asText());
    }

    @Test
    void malformedDocumentsAreDescribedWithoutTheParsersInternals() {
        for (String document : List.of("{\"a\": // c\n}", "{\"a\": 'x'}", "{\"a\": 1,}", "{\"a\": 1", "[1 2]",
                "{\"a\": 01}", "{\"a\": NaN}", "{} {}", "{\"a\": \"\u0001\"}")) {
            String message = assertThrows(JsonText.Refused.class, () -> JsonText.parse(document)).getMessage();

            assertTrue(message.matches(".* at line \\d+, column \\d+"), document + ": " + message);
            for (String internal : List.of("Feature", "ALLOW_", "Source", "`", "Constraints", "com.fasterxml")) {
                assertFalse(message.contains(internal), document + ": " + message);
            }
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotReplaced() throws Exception {
        byte[] latin1 = "{\"token\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

        assertTrue(assertThrows(JsonText.Refused.class, () -> JsonText.parse(latin1)).getMessage()
                .contains("not valid UTF-8 (byte 14"));
        assertThrows(JsonText.Refused.class, () -> JsonText.parse(surrogate));
        assertEquals("caf\u00e9", JsonText.parse("{\"token\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8))
                .path("token").asText());
    }

    @Test
    void anEmptyDocumentIsNull() throws Exception {
        assertNull(JsonText.parse(new byte[0]));
        assertNull(JsonText.parse(" \n"));
    }
}

package dev.quiver.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The API's values are immutable: what crosses between a plugin and the runner cannot be changed by either side. */
class ValuesTest {

    @Test
    void aRequestsBodyIsCopiedInAndOut() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.json("POST", "/x", body);
        body[0] = 'X';
        request.body()[1] = 'Y';
        assertEquals("{\"a\":1}", new String(request.body(), StandardCharsets.UTF_8));
        assertEquals(request, HttpRequest.json("POST", "/x", "{\"a\":1}"), "equal by content");
    }

    @Test
    void aResponsesBodyIsCopiedInAndOut() {
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        HttpResponse response = new HttpResponse(200, Map.of("x-id", List.of("1")), body);
        body[0] = 'n';
        response.body()[0] = 'n';
        assertEquals("ok", response.bodyText());
        assertEquals("1", response.header("X-Id"));
        assertThrows(UnsupportedOperationException.class, () -> response.headers().put("y", List.of()));
    }

    @Test
    void connectionSettingsAreCopiedInAndOut() {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("organization_url", "https://o.example/1");
        ConnectionInfo info = new ConnectionInfo("c", "acme", "api_key", settings, "fp");
        settings.put("organization_url", "https://evil.example");
        ((ObjectNode) info.settings()).put("organization_url", "https://evil.example");
        assertEquals("https://o.example/1", info.setting("organization_url"));
        assertNull(info.setting("absent"));
    }

    @Test
    void declarationsCopyTheirLists() {
        List<String> fields = new java.util.ArrayList<>(List.of("key"));
        AuthMethod method = new AuthMethod("api_key", fields, Map.of("X-Key", "{key}"));
        fields.add("other");
        assertEquals(List.of("key"), method.fields());
        assertEquals(List.of(), method.optionalFields());
        assertFalse(ResourceKind.withoutId("organization").hasId());
        assertNull(RequiredPermission.onDefault(PermissionRule.of("organization", "alerts:read")).resource());
    }
}

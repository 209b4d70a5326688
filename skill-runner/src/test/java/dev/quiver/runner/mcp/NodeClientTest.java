package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TypeScript SDK's client lists the tools and runs a read skill over both transports. */
class NodeClientTest {

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        NodeClient.install();
        service = Service.start(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void assertListedAndRan(JsonNode answer, int tools) {
        assertEquals(tools, answer.path("tools").size(), answer.path("tools").toString());
        JsonNode zone = answer.path("tools").findParent("name");
        assertTrue(zone.has("annotations"), zone.toString());
        JsonNode result = answer.path("result");
        assertFalse(result.path("isError").asBoolean(), result.toString());
        assertTrue(result.path("structuredContent").path("zones").isArray(), result.toString());
        assertEquals("quiver", answer.path("server").path("name").asText(), answer.toString());
    }

    @Test
    void theTypeScriptClientListsToolsAndRunsOneOverStreamableHttp() throws Exception {
        JsonNode answer = NodeClient.run("cloudflare_get_zone_details",
                Map.of("connection", "sandbox", "limit", 2), "http",
                List.of("http://127.0.0.1:" + service.port() + "/mcp", service.key(Role.ANALYST)));
        assertListedAndRan(answer, 13);
    }

    @Test
    void theTypeScriptClientListsToolsAndRunsOneOverStdio() throws Exception {
        // The service's home is shared with a child 'quiver mcp' after the service has stored the sandbox.
        List<String> command = new ArrayList<>(List.of(McpClients.javaBinary(), "-cp",
                System.getProperty("java.class.path"), "dev.quiver.runner.cli.Main", "--home",
                service.home().toString(), "--plugins", dir.resolve("plugins").toString(), "mcp", "--connection",
                "sandbox"));
        JsonNode answer = NodeClient.run("cloudflare_get_zone_details", Map.of("limit", 2), "stdio", command);
        assertListedAndRan(answer, 14);
        assertTrue(answer.path("tools").get(0).path("inputSchema").path("properties").path("connection")
                .isMissingNode(), "bound to the connection it was started with");
    }
}

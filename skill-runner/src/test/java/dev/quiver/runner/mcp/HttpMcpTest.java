package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Service;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.quiver.runner.mcp.McpClients.call;
import static dev.quiver.runner.mcp.McpClients.error;
import static dev.quiver.runner.mcp.McpClients.executionId;
import static dev.quiver.runner.mcp.McpClients.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MCP over Streamable HTTP on the real service ({@code POST /mcp}), with the SDK's own client and the API keys. */
class HttpMcpTest {

    @TempDir
    static Path dir;
    static Service service;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
        base = "http://127.0.0.1:" + service.port();
        ObjectNode acme = service.sandbox().connection();
        acme.put("id", "acme-cf");
        service.runtime().connections().addRemote(acme, "test");
        ObjectNode narrow = service.sandbox().connection();
        narrow.put("id", "narrow");
        narrow.putArray("permissions").add("Zone Read");
        service.runtime().connections().addRemote(narrow, "test");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(Tool::name).toList();
    }

    @Test
    void toolsListFollowsTheKeysRoleAnAnalystSeesNoWriteToolAndAViewerIsRefused() {
        List<String> catalogue = service.runtime().catalog().entries().stream().map(CatalogEntry::id).toList();
        try (McpSyncClient responder = McpClients.http(base, service.key(Role.RESPONDER))) {
            assertEquals(catalogue, names(responder));
            assertTrue(responder.getServerInstructions().contains("dry_run"), responder.getServerInstructions());
        }
        try (McpSyncClient analyst = McpClients.http(base, service.key(Role.ANALYST))) {
            List<String> names = names(analyst);
            assertEquals(13, names.size(), names.toString());
            assertFalse(names.contains(SkillCalls.CREATE_RULE));
            JsonNode refused = error(call(analyst, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("192.0.2.50", true))));
            assertEquals("PERMISSION_DENIED", refused.path("code").asText(), refused.toString());
        }
        assertThrows(RuntimeException.class, () -> McpClients.http(base, service.key(Role.VIEWER)).close());
        assertThrows(RuntimeException.class, () -> McpClients.http(base, "qk_nobody.nothing").close());
    }

    @Test
    void aTenantKeySeesAndMayUseOnlyItsConnections() {
        String key = service.runtime().keys().create(Role.ANALYST, ConnectionScope.of(List.of("acme-*")), null).key();
        try (McpSyncClient tenant = McpClients.http(base, key)) {
            for (Tool tool : tenant.listTools().tools()) {
                JsonNode connection = Json.MAPPER.valueToTree(tool.inputSchema()).path("properties")
                        .path("connection");
                assertEquals("[\"acme-cf\"]", connection.path("enum").toString(), tool.name());
            }
            output(call(tenant, "cloudflare_get_zone_details", SkillCalls.on("acme-cf", Map.of())));
            JsonNode other = error(call(tenant, "cloudflare_get_zone_details", SkillCalls.on("sandbox", Map.of())));
            assertEquals("UNKNOWN_CONNECTION", other.path("code").asText(), other.toString());
        }
    }

    @Test
    void everySkillRunsOverHttpAndIsRecordedWithTheKeyAndChannelMcp() {
        try (McpSyncClient client = McpClients.http(base, service.key(Role.RESPONDER))) {
            String last = null;
            for (Map.Entry<String, Map<String, Object>> read : SkillCalls.READS.entrySet()) {
                CallToolResult result = call(client, read.getKey(), SkillCalls.on("sandbox", read.getValue()));
                output(result);
                last = executionId(result);
            }
            output(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("198.51.100.20", true))));
            JsonNode record = service.get("/api/v1/executions/" + last, Role.ADMIN).json();
            assertEquals("mcp", record.path("source").asText(), record.toString());
            String keyId = service.key(Role.RESPONDER).substring(0, service.key(Role.RESPONDER).indexOf('.'));
            assertEquals(keyId, record.path("caller").asText(), record.toString());
            String metrics = service.get("/metrics", Role.ADMIN).body();
            assertTrue(metrics.contains("cloudflare_list_access_applications"), "counted in the metrics");
        }
    }

    @Test
    void aWriteWithoutDryRunARefusedPermissionAndAnInvalidInputAreToolErrorsAndNothingIsSent() {
        try (McpSyncClient client = McpClients.http(base, service.key(Role.RESPONDER))) {
            long before = service.sandbox().requestCount();
            JsonNode denied = error(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("narrow", SkillCalls.blockRule("198.51.100.22", true))));
            assertEquals("PERMISSION_DENIED", denied.path("code").asText(), denied.toString());
            assertTrue(denied.path("remediation").asText().contains("Zone WAF Write"), denied.toString());
            JsonNode refused = error(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("198.51.100.21", false))));
            assertEquals("PERMISSION_DENIED", refused.path("code").asText(), refused.toString());
            JsonNode invalid = error(call(client, "cloudflare_get_audit_logs",
                    SkillCalls.on("sandbox", Map.of("limit", -1))));
            assertEquals("INVALID_INPUT", invalid.path("code").asText(), invalid.toString());
            assertEquals(before, service.sandbox().requestCount());
        }
    }

    @Test
    void aBodyThatIsNotJsonRpcGetsAJsonRpcErrorAndAnotherOriginIsRefused() throws Exception {
        Service.Reply junk = service.post("/mcp", Role.ANALYST, "not json");
        assertEquals(400, junk.status(), junk.body());
        assertEquals(-32700, junk.json().at("/error/code").asInt(), junk.body());
        Service.Reply get = service.get("/mcp", Role.ANALYST);
        assertEquals(405, get.status(), get.body());

        String ping = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"ping\"}";
        assertEquals(200, originPost(ping, null), "no Origin: a client outside a browser");
        assertEquals(200, originPost(ping, "http://127.0.0.1:" + service.port()), "the service's own origin");
        assertEquals(403, originPost(ping, "http://attacker.example"), "a web page of another site");
    }

    private static int originPost(String body, String origin) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "/mcp"))
                .header("Authorization", "Bearer " + service.key(Role.ANALYST))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.records.ExecutionRecord;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static dev.quiver.runner.mcp.McpClients.call;
import static dev.quiver.runner.mcp.McpClients.error;
import static dev.quiver.runner.mcp.McpClients.executionId;
import static dev.quiver.runner.mcp.McpClients.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stdio MCP server as an agent runs it: a child JVM ({@code quiver mcp}, on this build's class path; the
 * shaded jar gets the same from {@code McpJarIT} after packaging), driven by the SDK's own client, on the sandbox.
 */
class StdioMcpTest {

    @TempDir
    static Path dir;
    static Path home;
    static Path plugins;
    static CloudflareSandbox sandbox;
    static List<String> catalogue;

    @BeforeAll
    static void setUp() throws Exception {
        home = dir.resolve("home");
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        sandbox = CloudflareSandbox.start(0);
        try (QuiverRuntime runtime = QuiverRuntime.start(home, List.of(plugins), name -> null)) {
            ObjectNode connection = sandbox.connection();
            connection.put("id", "sandbox");
            runtime.connections().addRemote(connection, "test");
            // The same sandbox through a token that may only read zones.
            ObjectNode narrow = sandbox.connection();
            narrow.put("id", "narrow");
            narrow.putArray("permissions").add("Zone Read");
            runtime.connections().addRemote(narrow, "test");
            catalogue = runtime.catalog().entries().stream().map(CatalogEntry::id).toList();
        }
    }

    @AfterAll
    static void tearDown() {
        sandbox.close();
    }

    @Test
    void toolsListMatchesTheCatalogueWithTheSkillsSchemasAndAnnotationsFromWhatTheyDeclare() {
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins), null)) {
            List<Tool> tools = client.listTools().tools();
            assertEquals(catalogue, tools.stream().map(Tool::name).toList());
            assertEquals(14, tools.size());
            for (Tool tool : tools) {
                assertNotNull(tool.title(), tool.name());
                assertNotNull(tool.outputSchema(), tool.name());
                JsonNode input = Json.MAPPER.valueToTree(tool.inputSchema());
                JsonNode properties = input.path("properties");
                assertEquals("[\"narrow\",\"sandbox\"]", properties.path("connection").path("enum").toString(),
                        tool.name());
                assertTrue(input.path("required").toString().contains("\"connection\""), tool.name());
                assertFalse(input.has("$schema"), tool.name());
                assertFalse(input.has("x-quiver-destructive"), "said by the annotations: " + tool.name());
                assertEquals(Boolean.TRUE, tool.annotations().openWorldHint());
                boolean write = tool.name().equals(SkillCalls.CREATE_RULE);
                assertEquals(!write, tool.annotations().readOnlyHint(), tool.name());
                assertEquals(Boolean.TRUE, tool.annotations().idempotentHint(), tool.name());
                assertEquals(write, properties.has("dry_run"), tool.name());
            }
            Tool create = tools.stream().filter(t -> t.name().equals(SkillCalls.CREATE_RULE)).findFirst().orElseThrow();
            assertEquals(Boolean.FALSE, create.annotations().destructiveHint(), "a new rule destroys nothing");
            JsonNode rule = Json.MAPPER.valueToTree(create.inputSchema()).path("properties").path("rule");
            assertTrue(rule.path("required").toString().contains("\"ref\""),
                    "idempotent because every call carries its key: " + rule);
        }
    }

    @Test
    void everySkillRunsOnTheSandboxAndAWriteRunsOnceAfterThePersonConfirmsItsPreview() {
        Deque<Boolean> answers = new ArrayDeque<>(List.of(false, true));
        List<String> asked = new ArrayList<>();
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins),
                (ElicitFormRequest form) -> {
                    asked.add(form.message());
                    return McpClients.confirm(answers.pop());
                })) {
            for (Map.Entry<String, Map<String, Object>> read : SkillCalls.READS.entrySet()) {
                output(call(client, read.getKey(), SkillCalls.on("sandbox", read.getValue())));
            }
            JsonNode preview = output(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("203.0.113.9", true))));
            assertFalse(preview.toString().isEmpty());
            assertTrue(asked.isEmpty(), "a dry run asks nobody");

            long before = sandbox.requestCount();
            JsonNode declined = error(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("203.0.113.9", false))));
            assertEquals("PERMISSION_DENIED", declined.path("code").asText(), declined.toString());
            assertEquals(1, asked.size());
            assertTrue(asked.get(0).contains("203.0.113.9"), "the person sees the preview: " + asked.get(0));

            CallToolResult created = call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("203.0.113.9", false)));
            JsonNode rule = output(created);
            assertEquals(2, asked.size());
            assertEquals("created", rule.path("status").asText(), rule.toString());
            assertTrue(sandbox.requestCount() > before);

            try (QuiverRuntime runtime = QuiverRuntime.start(home, List.of(plugins), name -> null)) {
                ExecutionRecord record = runtime.records().find(executionId(created), dev.quiver.runner.access.ConnectionScope.all()).orElseThrow();
                assertEquals("mcp", record.source());
                assertEquals("cli", record.caller());
                assertEquals("succeeded", record.status());
            }
        }
    }

    @Test
    void aRefusedPermissionAndAnInvalidInputAreToolErrorsAndNothingIsSent() {
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins), null)) {
            long before = sandbox.requestCount();
            JsonNode denied = error(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("narrow", SkillCalls.blockRule("198.51.100.1", true))));
            assertEquals("PERMISSION_DENIED", denied.path("code").asText(), denied.toString());
            assertTrue(denied.toString().contains("Zone WAF Write"), denied.toString());
            assertTrue(denied.has("remediation"), denied.toString());

            JsonNode invalid = error(call(client, "cloudflare_get_zone_details",
                    SkillCalls.on("sandbox", Map.of("limit", "many"))));
            assertEquals("INVALID_INPUT", invalid.path("code").asText(), invalid.toString());
            assertTrue(invalid.path("details").toString().contains("/limit"), invalid.toString());
            assertEquals(before, sandbox.requestCount(), "no request reached the sandbox");
        }
    }

    @Test
    void withoutElicitationAWriteIsRefusedUnlessTheServerAllowsWrites() {
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins), null)) {
            long before = sandbox.requestCount();
            JsonNode refused = error(call(client, SkillCalls.CREATE_RULE,
                    SkillCalls.on("sandbox", SkillCalls.blockRule("192.0.2.44", false))));
            assertEquals("PERMISSION_DENIED", refused.path("code").asText());
            assertTrue(refused.path("remediation").asText().contains("--allow-writes"), refused.toString());
            assertEquals(before, sandbox.requestCount());
        }
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins, "--allow-writes",
                "--connection", "sandbox"), null)) {
            Map<String, Object> arguments = SkillCalls.blockRule("192.0.2.44", false);
            JsonNode rule = output(call(client, SkillCalls.CREATE_RULE, arguments));
            assertEquals("created", rule.path("status").asText(), rule.toString());
            Tool create = client.listTools().tools().stream().filter(t -> t.name().equals(SkillCalls.CREATE_RULE))
                    .findFirst().orElseThrow();
            assertFalse(Json.MAPPER.valueToTree(create.inputSchema()).path("properties").has("connection"),
                    "bound to one connection");
        }
    }

    @Test
    void anAnalystRoleSeesNoWriteToolAndCannotCallOne() {
        try (McpSyncClient client = McpClients.stdio(McpClients.childOnClassPath(home, plugins, "--key-role",
                "analyst"), null)) {
            List<String> names = client.listTools().tools().stream().map(Tool::name).toList();
            assertEquals(13, names.size(), names.toString());
            assertFalse(names.contains(SkillCalls.CREATE_RULE));
            // Not registered in this session: the SDK answers "unknown tool" before anything runs.
            long before = sandbox.requestCount();
            io.modelcontextprotocol.spec.McpError unknown = org.junit.jupiter.api.Assertions.assertThrows(
                    io.modelcontextprotocol.spec.McpError.class, () -> call(client, SkillCalls.CREATE_RULE,
                            SkillCalls.on("sandbox", SkillCalls.blockRule("192.0.2.45", true))));
            assertTrue(unknown.getMessage().contains("Unknown tool"), unknown.getMessage());
            assertEquals(before, sandbox.requestCount());
        }
    }
}

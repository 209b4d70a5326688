package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.records.ExecutionRecord;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.quiver.runner.mcp.McpClients.call;
import static dev.quiver.runner.mcp.McpClients.executionId;
import static dev.quiver.runner.mcp.McpClients.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar as a desktop agent runs it (README: "MCP"): {@code java -jar skill-runner.jar mcp --connection
 * sandbox}, a child process driven by the SDK's client. Runs after {@code package} (failsafe), when the jar exists.
 */
class McpJarIT {

    @TempDir
    static Path dir;
    static Path jar;
    static Path home;
    static Path plugins;
    static CloudflareSandbox sandbox;

    @BeforeAll
    static void setUp() throws Exception {
        jar = Path.of(System.getProperty("quiver.test.jar", "target/skill-runner.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built before the integration tests: " + jar);
        home = dir.resolve("home");
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        sandbox = CloudflareSandbox.start(0);
        try (QuiverRuntime runtime = QuiverRuntime.start(home, List.of(plugins), name -> null)) {
            ObjectNode connection = sandbox.connection();
            connection.put("id", "sandbox");
            runtime.connections().addRemote(connection, "test");
        }
    }

    @AfterAll
    static void tearDown() {
        sandbox.close();
    }

    @Test
    void anAgentListsTheSkillsRunsAReadPreviewsARuleAndAfterConfirmationCreatesItOnceAllRecorded() {
        List<String> asked = new ArrayList<>();
        List<String> executions = new ArrayList<>();
        try (McpSyncClient agent = McpClients.stdio(McpClients.childJar(jar, home, plugins, "--connection",
                "sandbox"), form -> {
                    asked.add(form.message());
                    return McpClients.confirm(true);
                })) {
            List<String> tools = agent.listTools().tools().stream().map(Tool::name).toList();
            assertEquals(14, tools.size(), tools.toString());

            CallToolResult read = call(agent, "cloudflare_get_audit_logs_for_detections",
                    Map.of("actor_email", "mallory@example.com", "since", "2000-01-01T00:00:00Z"));
            assertTrue(output(read).path("events").isArray());
            executions.add(executionId(read));

            CallToolResult preview = call(agent, SkillCalls.CREATE_RULE, SkillCalls.blockRule("185.220.101.45", true));
            output(preview);
            executions.add(executionId(preview));
            assertTrue(asked.isEmpty());

            CallToolResult created = call(agent, SkillCalls.CREATE_RULE, SkillCalls.blockRule("185.220.101.45", false));
            assertEquals("created", output(created).path("status").asText());
            assertEquals(1, asked.size(), "confirmed once, after seeing the preview");
            executions.add(executionId(created));

            CallToolResult again = call(agent, SkillCalls.CREATE_RULE, SkillCalls.blockRule("185.220.101.45", false));
            assertEquals("exists", output(again).path("status").asText(), "the same ref creates nothing twice");
            executions.add(executionId(again));
        }
        try (QuiverRuntime runtime = QuiverRuntime.start(home, List.of(plugins), name -> null)) {
            for (String id : executions) {
                ExecutionRecord record = runtime.records().find(id, dev.quiver.runner.access.ConnectionScope.all()).orElseThrow(() -> new AssertionError(id));
                assertEquals("mcp", record.source(), id);
                assertEquals("sandbox", record.connection(), id);
                assertEquals("succeeded", record.status(), id);
            }
        }
    }

    @Test
    void stdoutCarriesOnlyProtocolMessagesAndTheProcessEndsWithItsInput() throws Exception {
        Process process = new ProcessBuilder(McpClients.javaBinary(), "-jar", jar.toString(), "--home",
                home.toString(), "--plugins", plugins.toString(), "mcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            JsonNode initialized = Json.MAPPER.readTree(out.readLine());
            assertEquals("2025-11-25", initialized.at("/result/protocolVersion").asText(), initialized.toString());
            JsonNode listed = Json.MAPPER.readTree(out.readLine());
            assertEquals(14, listed.at("/result/tools").size(), listed.toString());
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "quiver mcp ends when its input ends");
        assertEquals(0, process.exitValue());
        assertEquals(-1, process.getInputStream().read(), "nothing else on stdout");
    }
}

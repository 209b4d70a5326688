package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK's own client, over a child process's stdio or over HTTP, and what tests read from its answers. */
final class McpClients {

    private McpClients() {
    }

    /** {@code quiver --home HOME --plugins PLUGINS mcp ARGS} as a child JVM on this test's class path. */
    static ServerParameters childOnClassPath(Path home, Path plugins, String... args) {
        List<String> all = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                "dev.quiver.runner.cli.Main", "--home", home.toString(), "--plugins", plugins.toString(), "mcp"));
        all.addAll(List.of(args));
        return ServerParameters.builder(javaBinary()).args(all).build();
    }

    /** {@code java -jar JAR --home HOME --plugins PLUGINS mcp ARGS}. */
    static ServerParameters childJar(Path jar, Path home, Path plugins, String... args) {
        List<String> all = new ArrayList<>(List.of("-jar", jar.toString(), "--home", home.toString(), "--plugins",
                plugins.toString(), "mcp"));
        all.addAll(List.of(args));
        return ServerParameters.builder(javaBinary()).args(all).build();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A client over stdio; with {@code elicitation} it declares the capability and answers each form with it.
     */
    static McpSyncClient stdio(ServerParameters server, Function<ElicitFormRequest, ElicitResult> elicitation) {
        StdioClientTransport transport = new StdioClientTransport(server, StdioMcpServer.JSON);
        transport.setStdErrorHandler(line -> System.err.println("[mcp child] " + line));
        McpClient.SyncSpec spec = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60));
        if (elicitation != null) {
            spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build()).elicitation(elicitation);
        }
        McpSyncClient client = spec.build();
        client.initialize();
        return client;
    }

    /** A client over Streamable HTTP to {@code base}/mcp with {@code key}. */
    static McpSyncClient http(String base, String key) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                .endpoint("/mcp")
                .jsonMapper(StdioMcpServer.JSON)
                .httpRequestCustomizer((builder, method, uri, body, context) ->
                        builder.header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    /** The structured output of a successful call. */
    static JsonNode output(CallToolResult result) {
        assertFalse(Boolean.TRUE.equals(result.isError()), "a tool error: " + text(result));
        JsonNode structured = Json.MAPPER.valueToTree(result.structuredContent());
        assertEquals(structured, parse(text(result)), "the text is the structured content's JSON");
        return structured;
    }

    /** The error object of a failed call. */
    static JsonNode error(CallToolResult result) {
        assertTrue(Boolean.TRUE.equals(result.isError()), "not a tool error: " + text(result));
        return parse(text(result)).path("error");
    }

    static String executionId(CallToolResult result) {
        @SuppressWarnings("unchecked")
        Map<String, Object> execution = (Map<String, Object>) result.meta().get(ToolResults.META);
        return (String) execution.get("execution_id");
    }

    static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static ElicitResult confirm(boolean yes) {
        return yes ? new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("confirm", true))
                : new ElicitResult(ElicitResult.Action.DECLINE, null);
    }
}

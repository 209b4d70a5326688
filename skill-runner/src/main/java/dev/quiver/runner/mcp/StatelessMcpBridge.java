package dev.quiver.runner.mcp;

import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import dev.quiver.runner.internal.QuiverVersion;

/**
 * The SDK's stateless MCP server behind any HTTP server: the SDK's own HTTP transports are servlets, and Quiver
 * serves on Micronaut/Netty, so this transport takes the JSON-RPC message an HTTP route read and returns the answer
 * for the route to write. The SDK answers {@code initialize}, {@code ping} and notifications; {@code tools/list} and
 * {@code tools/call} are answered from {@link McpTools} for the request's caller, because what a key sees differs
 * (its role hides write tools, its connections are the {@code connection} argument's only values) and the catalogue
 * and connections change while the service runs (the SDK's tool registry is one list for every client).
 *
 * <p>Stateless: each POST stands alone, so no server-to-client request is possible (no elicitation): a write runs
 * only with {@code dry_run}, or on a service started with {@code --mcp-allow-writes}.
 */
public final class StatelessMcpBridge implements McpStatelessServerTransport {

    /** The transport-context key holding the {@link Caller} the HTTP layer authenticated. */
    static final String CALLER = "quiver.caller";

    private final McpTools tools;
    private final McpStatelessSyncServer server;
    private volatile McpStatelessServerHandler sdk;

    public StatelessMcpBridge(QuiverRuntime runtime, boolean allowWrites) {
        this.tools = new McpTools(runtime, Optional.empty(), allowWrites);
        // Building the server hands this transport the SDK's handler (setMcpHandler).
        this.server = McpServer.sync(this)
                .serverInfo("quiver", QuiverVersion.VALUE)
                .instructions(McpTools.INSTRUCTIONS)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .jsonMapper(StdioMcpServer.JSON)
                .build();
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.sdk = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    /**
     * The outcome of one POST: a JSON-RPC response to write (200, or 400 for a message that is not one), or none
     * (202 for a notification).
     */
    public record Answer(int status, Optional<Object> response) {
    }

    /**
     * A JSON-RPC error that answers no request id (a message that could not be read): the SDK's response type
     * insists on an id, so this one is a plain map.
     */
    public static Answer unreadable(int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", null);
        response.put("error", error);
        return new Answer(400, Optional.of(response));
    }

    /**
     * Handles one JSON-RPC message from {@code caller}, blocking until it is answered: call it off the event loop.
     *
     * @param json the message, already parsed as strict JSON text
     */
    public Answer handle(Caller caller, String json) {
        JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(StdioMcpServer.JSON, json);
        } catch (IOException | IllegalArgumentException e) {
            return unreadable(McpSchema.ErrorCodes.INVALID_REQUEST, "not a JSON-RPC request or notification");
        }
        McpTransportContext context = McpTransportContext.create(Map.of(CALLER, caller));
        if (message instanceof JSONRPCRequest request) {
            return new Answer(200, Optional.of(answer(context, caller, request)));
        }
        if (message instanceof JSONRPCNotification notification) {
            sdk.handleNotification(context, notification)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
            return new Answer(202, Optional.empty());
        }
        // A response from the client: this server sends no request it could answer.
        return unreadable(McpSchema.ErrorCodes.INVALID_REQUEST, "this stateless server takes requests and"
                + " notifications");
    }

    private JSONRPCResponse answer(McpTransportContext context, Caller caller, JSONRPCRequest request) {
        try {
            return switch (request.method()) {
                case McpSchema.METHOD_TOOLS_LIST -> JSONRPCResponse.result(request.id(),
                        new ListToolsResult(tools.list(caller), null));
                case McpSchema.METHOD_TOOLS_CALL -> {
                    CallToolRequest call = StdioMcpServer.JSON.convertValue(request.params(), CallToolRequest.class);
                    if (call == null || call.name() == null) {
                        yield invalidParams(request, "tools/call needs params.name");
                    }
                    yield JSONRPCResponse.result(request.id(),
                            tools.call(caller, call.name(), call.arguments(), Confirmation.UNAVAILABLE));
                }
                default -> sdk.handleRequest(context, request)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
            };
        } catch (IllegalArgumentException e) {
            return invalidParams(request, "the params do not fit " + request.method());
        } catch (McpError e) {
            return JSONRPCResponse.error(request.id(), e.getJsonRpcError());
        }
    }

    private static JSONRPCResponse invalidParams(JSONRPCRequest request, String message) {
        return JSONRPCResponse.error(request.id(), new JSONRPCResponse.JSONRPCError(
                McpSchema.ErrorCodes.INVALID_PARAMS, message));
    }

    /** Stops the SDK's server. (Not {@code close()}: the SDK's server calls that on its transport.) */
    public void shutdown() {
        server.closeGracefully();
    }
}

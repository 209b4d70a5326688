package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.JsonText;
import dev.quiver.runner.mcp.StatelessMcpBridge;
import dev.quiver.runner.mcp.StdioMcpServer;
import dev.quiver.runner.failure.Failure;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * MCP's Streamable HTTP transport, stateless, on the service's own server: one JSON-RPC message per POST, answered
 * with one JSON response (no SSE stream, no session; GET and DELETE get 405 from the router, which clients take as
 * "no stream"). The access filter has already authenticated the key and admitted its role, as for every route: the
 * tools it sees and may call are decided per request from that caller, by {@link StatelessMcpBridge}.
 */
@ApiDocs.Keyed
@Controller("/mcp")
@ExecuteOn(TaskExecutors.BLOCKING)
final class McpController {

    /** The property that lets MCP writes run without a confirmation ({@code serve --mcp-allow-writes}). */
    static final String ALLOW_WRITES = "quiver.mcp.allow-writes";

    private final StatelessMcpBridge bridge;

    McpController(StatelessMcpBridge bridge) {
        this.bridge = bridge;
    }

    // Analyst: the least role that may call any tool (a viewer would see none).
    @Post
    @Allowed(Role.ANALYST)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "200", description = "The JSON-RPC response (a tool's failure is a result with"
            + " isError)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiDocs.JsonRpcResponse.class)))
    @ApiResponse(responseCode = "202", description = "A notification: no response")
    @ApiResponse(responseCode = "400", description = "Not one JSON-RPC message: a JSON-RPC parse error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiDocs.JsonRpcResponse.class)))
    @ApiDocs.WithBody
    HttpResponse<byte[]> post(@Nullable @Body @Schema(name = "JsonRpcRequest", implementation = ApiDocs.JsonRpcRequest.class) byte[] body,
                              HttpRequest<?> request) {
        refuseOtherOrigins(request);
        String json;
        try {
            json = body == null ? null : String.valueOf(JsonText.parse(body));
        } catch (JsonText.Refused e) {
            json = null;
        }
        if (json == null || !json.startsWith("{")) {
            StatelessMcpBridge.Answer unreadable = StatelessMcpBridge.unreadable(McpSchema.ErrorCodes.PARSE_ERROR,
                    "the body must be one JSON-RPC message: a JSON object, UTF-8, each key once");
            return write(unreadable.status(), unreadable.response().orElseThrow());
        }
        StatelessMcpBridge.Answer answer = bridge.handle(AccessFilter.caller(request), json);
        return answer.response().map(response -> write(answer.status(), response))
                .orElseGet(() -> HttpResponse.status(HttpStatus.ACCEPTED));
    }

    // MCP asks servers to check Origin against DNS rebinding: a browser page may call only its own origin's /mcp.
    // Clients outside a browser send no Origin.
    private static void refuseOtherOrigins(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origin == null) {
            return;
        }
        String host = request.getHeaders().get("Host");
        String originHost;
        try {
            URI uri = URI.create(origin);
            originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        if (originHost == null || !originHost.equalsIgnoreCase(host)) {
            throw new ApiException(403, Failure.of(ErrorCode.PERMISSION_DENIED, "requests from origin " + origin
                    + " are refused on /mcp", "Call /mcp from an MCP client, not from a web page of another site."));
        }
    }

    private static HttpResponse<byte[]> write(int status, Object response) {
        try {
            return HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(StdioMcpServer.JSON.writeValueAsBytes(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.quiver.runner.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;

import java.util.List;
import java.util.Map;

/**
 * A confirmation asked through MCP elicitation: the client shows the message and a single "confirm" checkbox to the
 * person, and answers for them. Only a client that declared the elicitation capability is asked.
 */
final class ElicitedConfirmation implements Confirmation {

    static final String FIELD = "confirm";

    private static final Map<String, Object> FORM = Map.of(
            "type", "object",
            "properties", Map.of(FIELD, Map.of(
                    "type", "boolean",
                    "title", "Run this write",
                    "description", "Tick to let Quiver run the write shown above, once.",
                    "default", false)),
            "required", List.of(FIELD));

    private final McpSyncServerExchange exchange;

    ElicitedConfirmation(McpSyncServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public boolean available() {
        return exchange.getClientCapabilities() != null && exchange.getClientCapabilities().elicitation() != null;
    }

    @Override
    public Answer ask(String message) {
        ElicitResult result = exchange.createElicitation(ElicitRequest.builder()
                .message(message)
                .requestedSchema(FORM)
                .build());
        boolean confirmed = result != null && result.action() == ElicitResult.Action.ACCEPT
                && result.content() != null && Boolean.TRUE.equals(result.content().get(FIELD));
        return confirmed ? Answer.CONFIRMED : Answer.DECLINED;
    }
}

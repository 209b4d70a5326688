package dev.quiver.runner.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A confirmation asked through MCP elicitation: the client shows the message and a single "confirm" checkbox to the
 * person, and answers for them. Only a client that declared the elicitation capability is asked.
 */
final class ElicitedConfirmation implements Confirmation {

    private static final Logger log = LoggerFactory.getLogger(ElicitedConfirmation.class);

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

    // Form mode: an empty "elicitation" object means form (as before URL mode existed); a client that declares URL
    // mode only cannot show the checkbox.
    @Override
    public boolean available() {
        McpSchema.ClientCapabilities capabilities = exchange.getClientCapabilities();
        McpSchema.ClientCapabilities.Elicitation elicitation = capabilities == null ? null
                : capabilities.elicitation();
        return elicitation != null && (elicitation.form() != null || elicitation.url() == null);
    }

    @Override
    public Answer ask(String message) {
        ElicitResult result;
        try {
            result = exchange.createElicitation(ElicitRequest.builder()
                    .message(message)
                    .requestedSchema(FORM)
                    .build());
        } catch (RuntimeException e) {
            // No answer (the client failed or timed out) is no confirmation.
            log.warn("the client did not answer the confirmation: {}", e.toString());
            return Answer.DECLINED;
        }
        boolean confirmed = result != null && result.action() == ElicitResult.Action.ACCEPT
                && result.content() != null && Boolean.TRUE.equals(result.content().get(FIELD));
        return confirmed ? Answer.CONFIRMED : Answer.DECLINED;
    }
}

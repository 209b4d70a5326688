package dev.quiver.runner.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Execution results as MCP tool results. A success is the skill's output as {@code structuredContent} (it conforms
 * to the tool's {@code outputSchema}) and the same JSON as text; a failure is {@code isError} with the contract's
 * error object as text, so the agent reads the code, the missing permission and the remediation. The error object is
 * not put in {@code structuredContent}: it does not conform to the output schema, and clients validate against it.
 */
final class ToolResults {

    /** The {@code _meta} key holding the execution's id, request ids and warnings. */
    static final String META = "dev.quiver/execution";

    private ToolResults() {
    }

    static CallToolResult of(ExecutionResult result) {
        if (!result.succeeded()) {
            return error(ContractJson.error(result.failure(), result.executionId(), result.requestIds()),
                    meta(result));
        }
        return CallToolResult.builder()
                .structuredContent(Json.MAPPER.convertValue(result.output(), Map.class))
                .addTextContent(text(result.output()))
                .isError(false)
                .meta(meta(result))
                .build();
    }

    /** A refusal of the adapter's own, before any execution. */
    static CallToolResult refused(ErrorCode code, String message, String remediation) {
        return error(ContractJson.error(Failure.of(code, message, remediation), null, null), null);
    }

    private static CallToolResult error(ObjectNode errorObject, Map<String, Object> meta) {
        return CallToolResult.builder().addTextContent(text(errorObject)).isError(true).meta(meta).build();
    }

    private static Map<String, Object> meta(ExecutionResult result) {
        Map<String, Object> execution = new LinkedHashMap<>();
        execution.put("execution_id", result.executionId());
        execution.put("status", result.status());
        execution.put("request_ids", result.requestIds());
        if (!result.warnings().isEmpty()) {
            execution.put("warnings", result.warnings());
        }
        return Map.of(META, execution);
    }

    static String text(JsonNode json) {
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.quiver.runner.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skills as MCP tools, for one caller at a time, and calls to them through the one pipeline (source
 * {@code mcp}): both transports, stdio and HTTP, use this class and add nothing of their own but how they reach the
 * person for a confirmation.
 *
 * <p>A caller sees the tools its role may run: read skills from analyst, write skills from responder. A write call
 * without {@code dry_run} runs only after the person confirmed the dry run's preview through the client (MCP
 * elicitation), or, when the client cannot ask, only on a server started with {@code --allow-writes}.
 */
public final class McpTools {

    private static final Logger log = LoggerFactory.getLogger(McpTools.class);

    /** The deadline of one tool call, as an HTTP execution's default. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The source of the executions, in the records. */
    public static final String SOURCE = "mcp";
    private static final int PREVIEW_CHARS = 4000;

    /** What the server tells the agent at initialization, beyond the tools' own descriptions. */
    public static final String INSTRUCTIONS = "Quiver runs security-automation skills against vendor APIs."
            + " Each tool is one skill; its input is checked against its schema and the connection's permissions"
            + " before any request is sent. Tools that write at the vendor take dry_run: call them with dry_run true"
            + " first and show the preview; a real write needs the person's confirmation. A failed call returns the"
            + " error object (code, message, details, remediation): follow the remediation rather than retrying"
            + " unchanged.";

    private final QuiverRuntime runtime;
    private final Optional<String> boundConnection;
    private final boolean allowWrites;

    /**
     * @param boundConnection the connection every call runs on, or empty for a {@code connection} argument
     * @param allowWrites     whether a write runs without a confirmation when the client cannot ask for one
     */
    public McpTools(QuiverRuntime runtime, Optional<String> boundConnection, boolean allowWrites) {
        this.runtime = runtime;
        this.boundConnection = boundConnection;
        this.allowWrites = allowWrites;
    }

    /** The tools {@code caller} may call, in catalogue order. */
    public List<Tool> list(Caller caller) {
        List<JsonNode> connections = boundConnection.isPresent() ? List.of() : runtime.connections().list();
        List<Tool> tools = new ArrayList<>();
        for (CatalogEntry entry : runtime.catalog().entries()) {
            if (caller.role().includes(ExecutionPipeline.requiredRole(entry.descriptor()))) {
                tool(entry, caller, connections).ifPresent(tools::add);
            }
        }
        return tools;
    }

    private Optional<Tool> tool(CatalogEntry entry, Caller caller, List<JsonNode> stored) {
        SkillDescriptor d = entry.descriptor();
        boolean write = d.access() == SkillDescriptor.Access.WRITE;
        WriteTraits traits = WriteTraits.of(d);
        Optional<List<String>> connections = boundConnection.isPresent() ? Optional.empty()
                : Optional.of(stored.stream()
                .filter(c -> d.connectionType().equals(c.path("type").asText()))
                .map(c -> c.path("id").asText())
                .filter(caller.scope()::allows)
                .sorted()
                .toList());
        Optional<ObjectNode> input = ToolSchemas.input(d.inputSchema(), connections, write,
                write ? traits.idempotencyKey() : null);
        if (input.isEmpty()) {
            log.warn("skill {} is not offered over MCP: its input already has a property named '{}' or '{}'",
                    d.id(), ToolSchemas.CONNECTION, ToolSchemas.DRY_RUN);
            return Optional.empty();
        }
        ToolAnnotations annotations = ToolAnnotations.builder()
                .title(d.title())
                .readOnlyHint(!write)
                .destructiveHint(write && traits.destructive())
                .idempotentHint(!write || traits.idempotencyKey() != null)
                .openWorldHint(true)
                .build();
        return Optional.of(Tool.builder()
                .name(d.id())
                .title(d.title())
                .description(write ? d.description() + " Writes at the vendor: call with dry_run true to preview;"
                        + " a real call needs the person's confirmation (or a server that allows writes)."
                        : d.description())
                .inputSchema(map(input.get()))
                .outputSchema(map(ToolSchemas.output(d.outputSchema())))
                .annotations(annotations)
                .build());
    }

    /**
     * Calls tool {@code name} for {@code caller}. Never throws for a failure: every refusal is a tool result with
     * {@code isError}, so the agent can read it and act.
     */
    public CallToolResult call(Caller caller, String name, Map<String, Object> arguments, Confirmation confirmation) {
        Optional<CatalogEntry> entry = runtime.catalog().find(name);
        if (entry.isEmpty()) {
            return ToolResults.refused(ErrorCode.UNKNOWN_SKILL, "no tool is named '" + name + "'",
                    "tools/list lists the tools this key may call.");
        }
        ObjectNode input = arguments == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.valueToTree(arguments);
        String connection;
        if (boundConnection.isPresent()) {
            connection = boundConnection.get();
        } else {
            JsonNode given = input.remove(ToolSchemas.CONNECTION);
            if (given == null || !given.isTextual() || given.asText().isBlank()) {
                return ToolResults.refused(ErrorCode.INVALID_INPUT, "'" + ToolSchemas.CONNECTION + "' must name a"
                        + " stored connection", "Pass one of the ids the tool's input schema lists.");
            }
            connection = given.asText();
        }
        boolean write = entry.get().descriptor().access() == SkillDescriptor.Access.WRITE;
        boolean dryRun = false;
        if (write && input.has(ToolSchemas.DRY_RUN)) {
            JsonNode flag = input.remove(ToolSchemas.DRY_RUN);
            if (!flag.isBoolean()) {
                return ToolResults.refused(ErrorCode.INVALID_INPUT, "'dry_run' must be true or false", null);
            }
            dryRun = flag.booleanValue();
        }
        if (!write || dryRun) {
            return ToolResults.of(execute(caller, name, connection, input, dryRun));
        }
        return write(caller, entry.get(), connection, input, confirmation);
    }

    private CallToolResult write(Caller caller, CatalogEntry entry, String connection, ObjectNode input,
                                 Confirmation confirmation) {
        if (!confirmation.available()) {
            if (allowWrites) {
                return ToolResults.of(execute(caller, entry.id(), connection, input, false));
            }
            return ToolResults.refused(ErrorCode.PERMISSION_DENIED, "this write needs the person's confirmation,"
                            + " and this client cannot ask for one (no MCP elicitation); nothing was written",
                    "Call " + entry.id() + " with dry_run true to preview it; to run writes without a confirmation,"
                            + " the operator starts the server with --allow-writes ('mcp') or --mcp-allow-writes"
                            + " ('serve').");
        }
        // The preview is a real dry run through the pipeline: the role, the input and the permissions are checked
        // (and recorded) before the person is asked anything.
        ExecutionResult preview = execute(caller, entry.id(), connection, input, true);
        if (!preview.succeeded()) {
            return ToolResults.of(preview);
        }
        Confirmation.Answer answer = confirmation.ask(question(entry, connection, preview));
        if (answer != Confirmation.Answer.CONFIRMED) {
            log.info("write {} on {} declined by the person (preview {})", entry.id(), connection,
                    preview.executionId());
            return ToolResults.refused(ErrorCode.PERMISSION_DENIED, "the person did not confirm this write of "
                    + entry.id() + "; nothing was written (the preview was execution " + preview.executionId()
                    + ")", "Ask the person what to change, or preview again with dry_run true.");
        }
        return ToolResults.of(execute(caller, entry.id(), connection, input, false));
    }

    private ExecutionResult execute(Caller caller, String skill, String connection, JsonNode input, boolean dryRun) {
        return runtime.pipeline().execute(new ExecutionRequest(skill, connection, input, dryRun, TIMEOUT, caller,
                SOURCE));
    }

    private static String question(CatalogEntry entry, String connection, ExecutionResult preview) {
        String json;
        try {
            json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(preview.output());
        } catch (JsonProcessingException e) {
            json = String.valueOf(preview.output());
        }
        if (json.length() > PREVIEW_CHARS) {
            json = json.substring(0, PREVIEW_CHARS) + "\n... (" + (json.length() - PREVIEW_CHARS) + " more characters)";
        }
        return "An agent asks Quiver to run " + entry.descriptor().title() + " (" + entry.id() + ") on connection '"
                + connection + "'. This writes at the vendor. Its dry run says it would do:\n" + json
                + "\nNothing has been written yet. Confirm to run it once.";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode json) {
        return Json.MAPPER.convertValue(json, Map.class);
    }
}

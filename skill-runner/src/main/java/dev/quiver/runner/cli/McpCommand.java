package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.mcp.McpTools;
import dev.quiver.runner.mcp.StdioMcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "mcp",
        description = {"Serves the skills as MCP tools on stdin/stdout for a local AI agent (Model Context Protocol,"
                + " stdio transport) until the agent closes stdin. stdout carries protocol messages only; logs go"
                + " to stderr.",
                "It acts as the operator on this host (every connection; role admin unless --key-role lowers it),"
                        + " through the same pipeline as 'run': records with source mcp, metrics, permission gate.",
                "A write runs after the person confirmed its dry-run preview in the agent (MCP elicitation); with"
                        + " a client that cannot ask, only with --allow-writes."})
final class McpCommand implements Callable<Integer> {

    /** The caller id of the stdio server's executions in the records: the operator, through MCP. */
    static final String CALLER_ID = "cli";

    @ParentCommand
    QuiverRoot root;

    @Option(names = "--connection", paramLabel = "C",
            description = "Run every tool on this connection (a stored connection's id, or a connection file's path"
                    + " when acting as admin); without it each tool takes a 'connection' argument listing the stored"
                    + " connections.")
    String connection;

    @Option(names = "--key-role", paramLabel = "ROLE", defaultValue = "admin",
            description = "The role the agent acts with: analyst (read skills only: write tools are not listed),"
                    + " responder or admin (default: admin, the operator's own).")
    String keyRole;

    @Option(names = "--allow-writes", description = "Let write tools run without a confirmation when the agent's"
            + " client cannot ask the person for one (no MCP elicitation). Off by default.")
    boolean allowWrites;

    @Override
    public Integer call() throws Exception {
        Optional<Role> role = Role.parse(keyRole);
        if (role.isEmpty() || role.get() == Role.VIEWER) {
            // stderr, not the usual error object on stdout: stdout is the protocol's.
            root.err().println("quiver: --key-role must be analyst, responder or admin, not '" + keyRole + "' (a"
                    + " viewer may run no skill)");
            return ExitCodes.USAGE;
        }
        QuiverRuntime runtime = root.runtime();
        // The operator keeps its own identity (file paths as connections) only with its own role.
        Caller caller = role.get() == Role.ADMIN ? Caller.OPERATOR : new Caller(CALLER_ID, role.get());
        McpTools tools = new McpTools(runtime, Optional.ofNullable(connection), allowWrites);
        root.err().println("quiver: MCP server on stdio (" + tools.list(caller).size() + " tools, role "
                + caller.role().jsonName() + (connection == null ? "" : ", connection '" + connection + "'")
                + (allowWrites ? ", writes allowed without confirmation" : "") + ")");
        root.err().flush();
        try (StdioMcpServer server = StdioMcpServer.start(tools, caller, root.stdin(), root.stdout())) {
            server.awaitEnd();
        }
        return ExitCodes.OK;
    }
}

// Lists the tools of a Quiver MCP server and calls one, with the official TypeScript SDK; prints one JSON line.
// node client.mjs stdio COMMAND ARGS...   |   node client.mjs http URL KEY
// The call is QUIVER_CALL: {"name": ..., "arguments": {...}}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, ...rest] = process.argv.slice(2);
let transport;
if (mode === "stdio") {
  const [command, ...args] = rest;
  transport = new StdioClientTransport({ command, args, stderr: "inherit" });
} else if (mode === "http") {
  const [url, key] = rest;
  transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
} else {
  console.error("usage: client.mjs stdio COMMAND ARGS... | http URL KEY");
  process.exit(2);
}
const client = new Client({ name: "quiver-node-test", version: "1.0.0" });
await client.connect(transport);
const listed = await client.listTools();
// callTool validates structuredContent against the tool's outputSchema (it lists the tools first for that).
const result = await client.callTool(JSON.parse(process.env.QUIVER_CALL));
console.log(JSON.stringify({
  server: client.getServerVersion(),
  protocol: transport.protocolVersion ?? null,
  tools: listed.tools.map((t) => ({ name: t.name, annotations: t.annotations, inputSchema: t.inputSchema })),
  result,
}));
await client.close();

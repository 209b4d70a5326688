package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.access.Caller;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import dev.quiver.runner.internal.QuiverVersion;

/**
 * The MCP server on a pair of streams (stdin/stdout for a local agent), for one caller: the SDK's single-session
 * server with every tool the caller may call, registered at start. The tool list is the catalogue and connections
 * at start; the agent restarts the server to see new ones. stdout carries protocol messages only: the SDK writes
 * nothing else there, and Quiver logs go to stderr.
 */
public final class StdioMcpServer implements AutoCloseable {

    /** The SDK's JSON mapping: a plain Jackson 2 mapper, as its own default. */
    public static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

    private final McpSyncServer server;
    private final CountDownLatch ended;

    private StdioMcpServer(McpSyncServer server, CountDownLatch ended) {
        this.server = server;
        this.ended = ended;
    }

    /** Serves {@code tools} to {@code caller} over {@code in} and {@code out} until {@code in} ends. */
    public static StdioMcpServer start(McpTools tools, Caller caller, InputStream in, OutputStream out) {
        CountDownLatch ended = new CountDownLatch(1);
        List<SyncToolSpecification> specifications = tools.list(caller).stream()
                .map(tool -> new SyncToolSpecification(tool, (exchange, request) -> tools.call(caller,
                        request.name(), request.arguments(), new ElicitedConfirmation(exchange))))
                .toList();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(JSON, new EndSignal(in, ended), out))
                .serverInfo("quiver", QuiverVersion.VALUE)
                .instructions(McpTools.INSTRUCTIONS)
                .jsonMapper(JSON)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                // The pipeline validates the input (and records a refusal, with JSON pointers); the SDK's own check
                // would answer first, unrecorded and in other words.
                .validateToolInputs(false)
                .tools(specifications)
                .build();
        return new StdioMcpServer(server, ended);
    }

    /** Waits until the client closes the input (or the thread is interrupted). */
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    @Override
    public void close() {
        server.closeGracefully();
    }

    /** Counts down when the stream ends or fails: the client has gone. */
    private static final class EndSignal extends FilterInputStream {
        private final CountDownLatch ended;

        EndSignal(InputStream in, CountDownLatch ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return track(() -> super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return track(() -> super.read(b, off, len));
        }

        private int track(Read read) throws IOException {
            try {
                int n = read.run();
                if (n < 0) {
                    ended.countDown();
                }
                return n;
            } catch (IOException | RuntimeException e) {
                ended.countDown();
                throw e;
            }
        }

        private interface Read {
            int run() throws IOException;
        }
    }
}

package dev.quiver.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official TypeScript MCP SDK, a client nobody at Quiver wrote: {@code src/test/node/mcp-client} (package.json
 * and package-lock.json pin it) is copied into {@code target/} and installed there with {@code npm ci} from the npm
 * registry, once per build. Without Node.js and npm the tests fail, saying so: they are never skipped.
 */
final class NodeClient {

    private static final Path SOURCE = Path.of("src/test/node/mcp-client").toAbsolutePath();
    private static final Path WORK = Path.of("target/mcp-node-client").toAbsolutePath();
    private static boolean installed;

    private NodeClient() {
    }

    /** Installs the client's packages, once. */
    static synchronized void install() throws Exception {
        if (installed) {
            return;
        }
        for (String tool : List.of("node", "npm")) {
            try {
                run(List.of(tool, "--version"), Map.of(), 30);
            } catch (IOException e) {
                fail(tool + " is not on the PATH: the MCP interoperability tests need Node.js 20 and npm"
                        + " (on Debian: apt-get install -y nodejs npm; .ci/run installs them when missing)");
            }
        }
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
            assertEquals(0, ci.exit(), "npm ci failed: " + ci.stderr());
        }
        installed = true;
    }

    /** Runs the client: {@code mode} is {@code stdio} (then a command line) or {@code http} (then URL and key). */
    static JsonNode run(String tool, Map<String, Object> arguments, String mode, List<String> target)
            throws Exception {
        install();
        List<String> command = new ArrayList<>(List.of("node", WORK.resolve("client.mjs").toString(), mode));
        command.addAll(target);
        String call = Json.MAPPER.writeValueAsString(Map.of("name", tool, "arguments", arguments));
        Result result = run(command, Map.of("QUIVER_CALL", call), 120);
        assertEquals(0, result.exit(), "the Node client failed: " + result.stderr());
        String[] lines = result.stdout().strip().split("\n");
        return Json.MAPPER.readTree(lines[lines.length - 1]);
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(List<String> command, Map<String, String> env, long seconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile().exists() ? WORK.toFile() : null);
        builder.environment().putAll(env);
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " did not finish in " + seconds
                    + " s: " + Files.readString(err));
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return result;
    }
}

package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code batch} on the real plugin against the sandbox. */
class BatchCliTest {

    @TempDir
    Path dir;

    @Test
    void aThousandLineBatchReturnsAThousandLinesInOrderWithBadLinesAsErrors() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        try (CloudflareSandbox sandbox = CloudflareSandbox.start(0)) {
            Path connection = Files.writeString(dir.resolve("sandbox.json"), sandbox.connection().toString());
            StringBuilder requests = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                requests.append(switch (i % 10) {
                    case 3 -> "{not json";
                    case 6 -> "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {\"limit\": \"many\"}, \"id\": " + i + "}";
                    case 9 -> "{\"input\": {}}";
                    default -> "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {\"limit\": 1}, \"id\": " + i + "}";
                }).append('\n');
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(new String[]{"--home", dir.resolve("home").toString(), "--plugins", plugins.toString(),
                            "batch", "--connection", connection.toString(), "--concurrency", "16"}, name -> null,
                    new ByteArrayInputStream(requests.toString().getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1000, lines.size());
            for (int i = 1; i <= 1000; i++) {
                JsonNode line = Json.MAPPER.readTree(lines.get(i - 1));
                assertEquals(i, line.path("line").asInt(), "in order");
                switch (i % 10) {
                    case 3, 9 -> assertEquals("INVALID_INPUT", line.at("/error/code").asText(), line.toString());
                    case 6 -> {
                        assertEquals("INVALID_INPUT", line.at("/error/code").asText(), line.toString());
                        assertEquals("/limit", line.at("/error/details/0/pointer").asText());
                        assertEquals(i, line.path("id").asInt(), "the client's id comes back");
                    }
                    default -> {
                        assertEquals("succeeded", line.path("status").asText(), line.toString());
                        assertEquals(i, line.path("id").asInt());
                        assertEquals(1, line.at("/output/zones").size());
                    }
                }
            }
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("1000 requests, 700 succeeded, 300 failed"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    private int batch(String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err, String... options)
            throws Exception {
        return batch(stdin.getBytes(StandardCharsets.UTF_8), out, err, options);
    }

    private int batch(byte[] stdin, ByteArrayOutputStream out, ByteArrayOutputStream err, String... options)
            throws Exception {
        Path plugins = dir.resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            PluginArchives.installCloudflarePlugin(plugins);
        }
        List<String> args = new java.util.ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString(), "batch", "--connection", "no-such-connection"));
        args.addAll(List.of(options));
        return Main.run(args.toArray(String[]::new), name -> null,
                new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBatchOfMoreLinesThanTheCapIsAUsageErrorAndNothingRuns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = batch("{\"skill\": \"no_such_skill\"}\n".repeat(10_001), out, err);
        assertEquals(2, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("10000"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no line ran");
    }

    @Test
    void maxLinesRaisesOrLowersTheCap() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, batch("{\"skill\": \"no_such_skill\"}\n".repeat(4), out, err, "--max-lines", "3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--max-lines"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        out.reset();
        err.reset();
        assertEquals(0, batch("{\"skill\": \"no_such_skill\"}\n".repeat(3), out, err, "--max-lines", "3"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(3, out.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void aBatchThatIsNotUtf8IsAUsageErrorNamingTheLineAndNothingRuns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        byte[] stdin = "{\"skill\": \"no_such_skill\"}\n{\"skill\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(2, batch(stdin, out, err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2 is not valid UTF-8"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "not even line 1 ran");
    }

    @Test
    void offATerminalABatchPrintsOneSummaryLineAndNoProgress() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, batch("{\"skill\": \"no_such_skill\"}\n", out, err));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.strip().lines().count(), stderr);
        assertTrue(stderr.contains("quiver: batch: 1 request, 0 succeeded, 1 failed"), stderr);
        assertFalse(stderr.contains("\r"), "no progress line off a terminal");
    }

    @Test
    void progressShowsDoneOverTotalRateAndFailuresWhileTheBatchRuns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, batch("{\"skill\": \"no_such_skill\"}\n".repeat(40), out, err, "--progress", "always"));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains("40/40 requests"), stderr);
        assertTrue(stderr.contains("requests/s"), stderr);
        assertTrue(stderr.contains("40 failed"), stderr);
        assertTrue(stderr.contains("quiver: batch: 40 requests, 0 succeeded, 40 failed"), stderr);
        assertEquals(40, out.toString(StandardCharsets.UTF_8).lines().count(), "stdout carries only result lines");
    }
}

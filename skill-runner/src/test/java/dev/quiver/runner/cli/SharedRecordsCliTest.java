package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.runner.testing.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two {@code serve} nodes with {@code --records-url} on one PostgreSQL database: one set of records, no secret. */
class SharedRecordsCliTest {

    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+) .*records in (\\S+?)[;)]");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private record Node(Thread thread, String url, String recordsShown, String adminKey) {
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
        }
    }

    @Test
    void twoNodesOnOnePostgresDatabaseShareTheirRecordsAndNeverPrintTheDatabasePassword() throws Exception {
        String url = Postgres.newDatabase();
        assertTrue(url.contains("password=s3cret-pw"));
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Node a = serve(dir.resolve("a"), plugins, url);
        Node b = serve(dir.resolve("b"), plugins, url);
        try {
            String expected = url.substring(0, url.indexOf('?'));
            assertEquals(expected, a.recordsShown(), "the URL without user and password");
            Set<String> ran = new HashSet<>();
            for (Node node : new Node[] {a, b}) {
                HttpResponse<String> run = call(node.url(), "POST",
                        "/api/v1/skills/cloudflare_get_zone_details/executions", node.adminKey(),
                        "{\"connection\": \"sandbox\", \"input\": {}}");
                assertEquals(200, run.statusCode(), run.body());
                ran.add(Json.MAPPER.readTree(run.body()).path("execution_id").asText());
            }
            for (Node node : new Node[] {a, b}) {
                Set<String> seen = new HashSet<>();
                // A read skill's record is committed by its node's writer within milliseconds of the answer.
                for (int attempt = 0; attempt < 50 && !seen.containsAll(ran); attempt++) {
                    Thread.sleep(attempt == 0 ? 0 : 20);
                    JsonNode page = Json.MAPPER.readTree(call(node.url(), "GET", "/api/v1/executions?limit=100",
                            node.adminKey(), null).body());
                    page.path("executions").forEach(r -> seen.add(r.path("id").asText()));
                }
                assertEquals(ran, seen, node.url() + " sees both nodes' records");
            }
        } finally {
            a.stop();
            b.stop();
        }
    }

    private HttpResponse<String> call(String base, String method, String path, String key, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        request.header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Node serve(Path home, Path plugins, String recordsUrl) throws Exception {
        String[] args = {"--home", home.toString(), "--plugins", plugins.toString(), "serve", "--port", "0",
                "--sandbox", "--records-url", recordsUrl};
        PipedInputStream stdout = new PipedInputStream(1 << 16);
        PipedInputStream stderr = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new PipedOutputStream(stderr), true, StandardCharsets.UTF_8);
        Thread thread = new Thread(() -> Main.run(args, name -> null, new ByteArrayInputStream(new byte[0]), out,
                err));
        thread.setDaemon(true);
        thread.start();
        BufferedReader errors = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8));
        StringBuilder all = new StringBuilder();
        for (String line = errors.readLine(); line != null; line = errors.readLine()) {
            all.append(line).append('\n');
            assertFalse(line.contains("s3cret-pw"), "the password in stderr: " + line);
            Matcher serving = SERVING.matcher(line);
            if (serving.find()) {
                Thread drain = new Thread(() -> errors.lines().forEach(l -> {
                    if (l.contains("s3cret-pw")) {
                        throw new AssertionError("the password in stderr: " + l);
                    }
                }));
                drain.setDaemon(true);
                drain.start();
                String firstLine = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))
                        .readLine();
                assertFalse(firstLine.contains("s3cret-pw"));
                return new Node(thread, serving.group(1), serving.group(2),
                        Json.MAPPER.readTree(firstLine).path("key").asText());
            }
        }
        throw new AssertionError("serve ended without serving:\n" + all);
    }
}

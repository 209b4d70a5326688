package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve --sandbox} as a new user runs it: first admin key, the sandbox connection, keys made meanwhile. */
class ServeCliTest {

    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+) ");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void serveSandboxPrintsTheFirstAdminKeyOnceAndRunsSkillsOnTheSandboxConnection() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        String[] args = {"--home", dir.resolve("home").toString(), "--plugins", plugins.toString(), "serve",
                "--port", "0", "--sandbox"};

        Running first = serve(args);
        JsonNode admin = Json.MAPPER.readTree(first.stdout().readLine());
        assertEquals("admin", admin.path("role").asText());
        String key = admin.path("key").asText();
        assertEquals(200, call(first.url(), "GET", "/health", null, null).statusCode());
        HttpResponse<String> run = call(first.url(), "POST", "/api/v1/skills/cloudflare_get_zone_details/executions",
                key, "{\"connection\": \"sandbox\", \"input\": {}}");
        assertEquals(200, run.statusCode(), run.body());
        assertEquals("example.com", Json.MAPPER.readTree(run.body()).at("/output/zones/0/name").asText());

        ByteArrayOutputStream created = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"--home", dir.resolve("home").toString(), "--plugins",
                        plugins.toString(), "keys", "create", "--role", "viewer"}, name -> null,
                new ByteArrayInputStream(new byte[0]), new PrintStream(created, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        String viewer = Json.MAPPER.readTree(created.toString(StandardCharsets.UTF_8)).path("key").asText();
        assertEquals(200, call(first.url(), "GET", "/api/v1/skills", viewer, null).statusCode(),
                "a key made by the CLI works on the running service");
        assertEquals(403, call(first.url(), "GET", "/api/v1/connections", viewer, null).statusCode());
        first.stop();
        assertEquals(0, first.exit().get(), "serve exits 0 when stopped");
        assertThrows(ConnectException.class, () -> call(first.url(), "GET", "/health", null, null));

        ByteArrayOutputStream stale = new ByteArrayOutputStream();
        int staleExit = Main.run(new String[]{"--home", dir.resolve("home").toString(), "--plugins", plugins.toString(),
                        "run", "cloudflare_get_zone_details", "--connection", "sandbox"}, name -> null,
                new ByteArrayInputStream(new byte[0]), new PrintStream(stale, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        JsonNode staleError = Json.MAPPER.readTree(stale.toString(StandardCharsets.UTF_8)).path("error");
        assertEquals(5, staleExit, staleError.toString());
        assertTrue(staleError.path("message").asText().contains("the sandbox is not running"), staleError.toString());
        assertTrue(staleError.path("remediation").asText().contains("start the sandbox again"), staleError.toString());

        String[] capped = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--batch-max-lines", "2")).toArray(String[]::new);
        Running second = serve(capped);
        assertEquals(200, call(second.url(), "GET", "/api/v1/skills", key, null).statusCode(),
                "the first key still works after a restart");
        String line = "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {}}\n";
        assertEquals(413, call(second.url(), "POST", "/api/v1/batch?connection=sandbox", key, line.repeat(3))
                .statusCode(), "--batch-max-lines 2");
        assertEquals(200, call(second.url(), "POST", "/api/v1/batch?connection=sandbox", key, line.repeat(2))
                .statusCode());
        second.stop();
        assertEquals("", new String(second.stdoutBytes(), StandardCharsets.UTF_8).strip(),
                "no new admin key once one exists");
    }

    @Test
    void serveSandboxConnectsByOAuthThroughTheSandboxConsentPageWithNothingConfigured() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Running serving = serve(new String[]{"--home", dir.resolve("home").toString(), "--plugins", plugins.toString(),
                "serve", "--port", "0", "--sandbox"});
        String key = Json.MAPPER.readTree(serving.stdout().readLine()).path("key").asText();

        HttpResponse<String> started = call(serving.url(), "POST", "/api/v1/connections/customer-a/connect", key,
                "{\"type\": \"cloudflare\", \"skills\": [\"cloudflare_get_zone_details\","
                        + " \"cloudflare_list_dns_records\"]}");
        assertEquals(200, started.statusCode(), started.body());
        URI authorize = URI.create(Json.MAPPER.readTree(started.body()).path("authorize_url").asText());
        assertEquals("127.0.0.1", authorize.getHost(), "the sandbox's consent page, not Cloudflare's: " + authorize);
        String consent = http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher id = Pattern.compile("name=\"consent\" value=\"([^\"]+)\"").matcher(consent);
        assertTrue(id.find(), consent);
        // approve zone:read only: the DNS skill's scope is left unticked
        HttpResponse<String> decided = http.send(HttpRequest.newBuilder(authorize.resolve("/oauth2/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("consent=" + id.group(1)
                        + "&decision=approve&scope=offline_access&scope=zone%3Aread")).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = decided.headers().firstValue("location").orElseThrow();
        assertTrue(callback.startsWith(serving.url() + "/api/v1/oauth/callback?"), callback);
        HttpResponse<String> landed = call(callback, "GET", "", null, null);
        assertEquals(200, landed.statusCode(), landed.body());

        HttpResponse<String> zone = call(serving.url(), "POST", "/api/v1/skills/cloudflare_get_zone_details/executions",
                key, "{\"connection\": \"customer-a\", \"input\": {}}");
        assertEquals(200, zone.statusCode(), "the connection took the sandbox's base URL and zone: " + zone.body());
        HttpResponse<String> dns = call(serving.url(), "POST", "/api/v1/skills/cloudflare_list_dns_records/executions",
                key, "{\"connection\": \"customer-a\", \"input\": {}}");
        assertEquals(403, dns.statusCode(), dns.body());
        assertTrue(dns.body().contains("dns_records:read"), "names the scope to approve: " + dns.body());
        serving.stop();
    }

    private HttpResponse<String> call(String base, String method, String path, String key, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A {@code serve} running on its own thread; stopped by an interrupt, as an embedding caller would. */
    private record Running(Thread thread, String url, BufferedReader stdout, PipedInputStream stdoutPipe,
                           AtomicInteger exit) {
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
        }

        byte[] stdoutBytes() throws Exception {
            return stdoutPipe.available() > 0 ? stdoutPipe.readNBytes(stdoutPipe.available()) : new byte[0];
        }
    }

    private static Running serve(String[] args) throws Exception {
        PipedInputStream stdout = new PipedInputStream(1 << 16);
        PipedInputStream stderr = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new PipedOutputStream(stderr), true, StandardCharsets.UTF_8);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread thread = new Thread(() -> exit.set(Main.run(args, name -> null, new ByteArrayInputStream(new byte[0]),
                out, err)));
        thread.setDaemon(true);
        thread.start();
        BufferedReader errors = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8));
        for (String line = errors.readLine(); line != null; line = errors.readLine()) {
            Matcher serving = SERVING.matcher(line);
            if (serving.find()) {
                Thread drain = new Thread(() -> errors.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Running(thread, serving.group(1), new BufferedReader(new InputStreamReader(stdout,
                        StandardCharsets.UTF_8)), stdout, exit);
            }
        }
        throw new AssertionError("serve ended without serving");
    }
}

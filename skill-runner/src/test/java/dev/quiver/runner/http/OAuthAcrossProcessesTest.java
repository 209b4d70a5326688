package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.cli.Main;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.SandboxConsent;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OAuth refresh when a CLI process runs beside the service on one home: real processes (the CLI is a second JVM on
 * the test's class path), the real sandbox with short-lived access tokens.
 */
class OAuthAcrossProcessesTest {

    private static final HttpClient BROWSER = HttpClient.newHttpClient();
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final String ZONE = "cloudflare_get_zone_details";

    @TempDir
    Path dir;
    private Service service;
    private HttpServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(0);
        }
        if (service != null) {
            service.close();
        }
    }

    /**
     * The service refreshes while a CLI run waits for the connection's refresh lock: the CLI then reads the
     * service's rotated tokens and uses them. Had it refreshed with the refresh token it read before waiting, the
     * sandbox would have seen it reused and revoked the grant.
     */
    @Test
    void aCliRunWaitingForTheRefreshLockUsesTheTokensTheOtherProcessStored() throws Exception {
        service = Service.startWithOAuth(dir, TTL);
        connect("cf");
        Thread.sleep(TTL.toMillis() + 200);  // expired: both the service and the CLI would refresh
        int before = service.sandbox().oauthRefreshCount();
        Path lockFile = service.home().resolve("connections/.cf.lock");
        Process cli;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            // This JVM holds the lock as the service's refresh would: the CLI process blocks on it.
            cli = cli(service.sandbox().oauthBaseUrl(), "run", ZONE, "--connection", "cf");
            assertTrue(waitUntilBlockedOn(lockFile, cli), "the CLI process waits for the refresh lock");
            refreshAsTheOtherProcessWould("cf");
        }
        assertTrue(cli.waitFor(120, TimeUnit.SECONDS), "the CLI run ends");
        String out = Files.readString(dir.resolve("cli.out"));
        String err = Files.readString(dir.resolve("cli.err"));
        assertEquals(0, cli.exitValue(), out + err);
        assertEquals("example.com", Json.MAPPER.readTree(out).at("/output/zones/0/name").asText(), out);
        assertEquals(before + 1, service.sandbox().oauthRefreshCount(), "one refresh, the lock holder's");
        assertEquals(200, execute("cf").status(), "the grant is intact: no refresh token was reused");
        assertNoToken(out, err);
    }

    /**
     * A process killed between the vendor issuing new tokens and storing them loses no connection: the stored
     * one keeps the old refresh token, whose reuse the sandbox answers by revoking the grant, and the connection
     * becomes {@code needs_reconnect}, said clearly; a reconnect restores it. The kill is real (a CLI process, kill
     * -9); to hit that window every time, a proxy in front of the sandbox's token endpoint holds the sandbox's answer
     * to the refresh back until the process is dead: the sandbox rotated the tokens, the process never stored them,
     * exactly as if it had died after reading the answer.
     */
    @Test
    void aProcessKilledBetweenReceivingAndStoringNewTokensLeavesAConnectionThatNeedsReconnect() throws Exception {
        AtomicReference<Process> victim = new AtomicReference<>();
        List<String> issued = new ArrayList<>();
        // The proxy is the deployment's authorization server from the connect on: a connection's tokens go back
        // only to the server that issued them, so the refresh reaches the proxy only if the connect went through it.
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/oauth2/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String query = exchange.getRequestURI().getRawQuery();
            HttpResponse<String> answer;
            try {
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(service.sandbox().oauthBaseUrl()
                        + exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query)));
                answer = BROWSER.send("GET".equals(exchange.getRequestMethod()) ? forward.GET().build()
                        : forward.header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            answer.headers().firstValue("location").ifPresent(location ->
                    exchange.getResponseHeaders().add("Location", location));
            if (new String(body, StandardCharsets.UTF_8).contains("grant_type=refresh_token")
                    && answer.statusCode() == 200) {
                JsonNode tokens = Json.MAPPER.readTree(answer.body());
                issued.add(tokens.path("access_token").asText());
                issued.add(tokens.path("refresh_token").asText());
                Process process = victim.get();
                process.destroyForcibly();  // SIGKILL: no shutdown hook, no finally
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.statusCode(), bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException peerGone) {
                // the process is dead
            }
            exchange.close();
        });
        proxy.start();
        service = Service.startWithOAuth(dir, TTL, "http://127.0.0.1:" + proxy.getAddress().getPort());
        connect("cf");
        String storedBefore = Files.readString(service.home().resolve("connections/cf.json"));
        Thread.sleep(TTL.toMillis() + 200);

        Process cli = cli("http://127.0.0.1:" + proxy.getAddress().getPort(), "run", ZONE, "--connection", "cf");
        victim.set(cli);
        assertTrue(cli.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, issued.size(), "the sandbox issued new tokens before the kill");
        assertEquals(137, cli.exitValue(), "killed by SIGKILL");
        assertEquals(storedBefore, Files.readString(service.home().resolve("connections/cf.json")),
                "the stored connection is as it was: nothing half-written");

        Reply failed = execute("cf");
        assertEquals("AUTHENTICATION_FAILED", failed.json().at("/error/code").asText(), failed.body());
        assertTrue(failed.json().at("/error/message").asText().contains("connection 'cf' needs reconnecting"),
                failed.body());
        assertTrue(failed.json().at("/error/remediation").asText().contains("POST /api/v1/connections/cf/connect"),
                failed.body());
        JsonNode stored = service.get("/api/v1/connections/cf", Role.ADMIN).json();
        assertEquals("needs_reconnect", stored.path("status").asText(), stored.toString());

        connect("cf");
        assertEquals(200, execute("cf").status(), "a reconnect restores it");
        String texts = Files.readString(dir.resolve("cli.out")) + Files.readString(dir.resolve("cli.err"))
                + failed.body() + stored;
        for (String token : issued) {
            assertFalse(texts.contains(token), "a token the killed process never stored appears somewhere");
        }
        assertNoToken(texts);
    }

    // --- helpers

    /** A CLI process on the service's home, with OAuth configured as the service's, its output in dir/cli.*. */
    private Process cli(String oauthBaseUrl, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home",
                service.home().toString(), "--plugins", dir.resolve("plugins").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("cli.out").toFile())
                .redirectError(dir.resolve("cli.err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUIVER_"));
        builder.environment().put("QUIVER_OAUTH_CLIENT_ID", service.sandbox().oauthClientId());
        builder.environment().put("QUIVER_OAUTH_BASE_URL", oauthBaseUrl);
        return builder.start();
    }

    /**
     * Whether {@code process} waits for a lock on {@code lockFile}: Linux lists a blocked lock request in
     * /proc/locks as a line with "->" naming the waiter's pid and the file's inode.
     */
    private static boolean waitUntilBlockedOn(Path lockFile, Process process) throws Exception {
        long inode = (Long) Files.getAttribute(lockFile, "unix:ino");
        Pattern waiter = Pattern.compile("->\\s+POSIX\\s+ADVISORY\\s+WRITE\\s+" + process.pid()
                + "\\s+\\S+:\\S+:" + inode + "\\s");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (waiter.matcher(Files.readString(Path.of("/proc/locks"))).find()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** What the process holding the lock does: refresh with the stored refresh token and store the new tokens. */
    private void refreshAsTheOtherProcessWould(String id) throws Exception {
        var store = service.runtime().connections();
        Map<String, String> values = new LinkedHashMap<>(store.find(id).orElseThrow().credential().values());
        HttpResponse<String> refreshed = BROWSER.send(HttpRequest.newBuilder(URI.create(
                        service.sandbox().oauthBaseUrl() + "/oauth2/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + service.sandbox().oauthClientId() + "&refresh_token=" + enc(values.get("refresh_token"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, refreshed.statusCode());
        JsonNode tokens = Json.MAPPER.readTree(refreshed.body());
        values.put("access_token", tokens.path("access_token").asText());
        values.put("refresh_token", tokens.path("refresh_token").asText());
        values.put("expires_at", Instant.now().plusSeconds(tokens.path("expires_in").asLong()).toString());
        store.replaceSecrets(id, values);
    }

    private void connect(String id) throws Exception {
        SandboxConsent.connect(service, id, ZONE);
    }

    private Reply execute(String connection) {
        return service.post("/api/v1/skills/" + ZONE + "/executions", Role.ANALYST,
                "{\"connection\": \"" + connection + "\", \"input\": {}}");
    }

    private static void assertNoToken(String... texts) {
        for (String text : texts) {
            assertFalse(text.contains("cfoat_sbx") || text.contains("sbxrt_") || text.contains("sbxcode_"),
                    "a token or code appears: " + text);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.SandboxConsent;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import dev.quiver.sandbox.CloudflareSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refreshing OAuth connections through the real service, against the sandbox with short-lived access tokens. */
class OAuthRefreshTest {

    private static final HttpClient BROWSER = HttpClient.newHttpClient();
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final String ZONE = "cloudflare_get_zone_details";

    @TempDir
    Path dir;
    private Service service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /**
     * A connection stored before the issuing server was recorded with its tokens (an existing home) still refreshes:
     * at the deployment's configured server, as it did then.
     */
    @Test
    void aConnectionStoredWithoutItsIssuingServerStillRefreshesAtTheConfiguredOne() throws Exception {
        service = Service.startWithOAuth(dir, TTL);
        connect("cf");
        var store = service.runtime().connections();
        java.util.Map<String, String> older = new java.util.LinkedHashMap<>(store.find("cf").orElseThrow()
                .credential().values());
        assertTrue(older.remove(dev.quiver.runner.oauth.OAuthFlow.AUTHORIZATION_SERVER) != null,
                "a connect records the issuing server");
        store.replaceSecrets("cf", older);
        Thread.sleep(TTL.toMillis() + 200);
        int before = service.sandbox().oauthRefreshCount();
        Reply ran = execute("cf");
        assertEquals(200, ran.status(), ran.body());
        assertEquals(before + 1, service.sandbox().oauthRefreshCount(), "refreshed at the configured server");
    }

    @Test
    void fiftyConcurrentExecutionsAcrossExpiryRefreshExactlyOnce() throws Exception {
        service = Service.startWithOAuth(dir, TTL);
        connect("cf");
        assertEquals(200, execute("cf").status());
        Thread.sleep(TTL.toMillis() + 200);
        int before = service.sandbox().oauthRefreshCount();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(clients.submit(() -> execute("cf")));
            }
            for (Future<Reply> reply : replies) {
                assertEquals(200, reply.get().status(), reply.get().body());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(before + 1, service.sandbox().oauthRefreshCount(), "one refresh for 50 executions");
        JsonNode stored = service.get("/api/v1/connections/cf", Role.ADMIN).json();
        assertFalse(stored.has("status"));
        assertTrue(stored.has("refreshed_at"));
        assertFalse(stored.toString().contains("sbxrt_") || stored.toString().contains("cfoat_"));
    }

    @Test
    void aVendor401BeforeTheKnownExpiryRefreshesOnceAndRetriesEveryRequestOnce() throws Exception {
        service = Service.startWithOAuth(dir, TTL);
        connect("cf");
        // The vendor ends the token sooner than it told us (its clock, or a lifetime it shortened): by our clock
        // the token has an hour left, so only the vendor's 401 can tell us to refresh.
        var store = service.runtime().connections();
        var values = new java.util.LinkedHashMap<>(store.find("cf").orElseThrow().credential().values());
        values.put("expires_at", java.time.Instant.now().plus(Duration.ofHours(1)).toString());
        store.replaceSecrets("cf", values);
        Thread.sleep(TTL.toMillis() + 200);
        int before = service.sandbox().oauthRefreshCount();
        long requestsBefore = service.sandbox().requestCount();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(clients.submit(() -> execute("cf")));
            }
            for (Future<Reply> reply : replies) {
                assertEquals(200, reply.get().status(), reply.get().body());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(before + 1, service.sandbox().oauthRefreshCount(), "one refresh for 20 refused requests");
        long sent = service.sandbox().requestCount() - requestsBefore;
        assertTrue(sent <= 20 * 2 + 1, "each request was sent again at most once (and one refresh): " + sent);
        assertEquals(200, execute("cf").status(), "the refreshed token is the stored one now");
    }

    @Test
    void aTokenIsRefreshedWhenLessThanATenthOfItsLifetimeIsLeft() throws Exception {
        Duration ttl = Duration.ofSeconds(5);
        service = Service.startWithOAuth(dir, ttl);
        connect("cf");
        java.time.Instant expires = java.time.Instant.parse(service.runtime().connections().find("cf").orElseThrow()
                .credential().values().get("expires_at"));
        int before = service.sandbox().oauthRefreshCount();
        sleepUntil(expires.minus(Duration.ofMillis(1500)));  // 1.5 s left, more than a tenth (0.5 s): kept
        assertEquals(200, execute("cf").status());
        assertEquals(before, service.sandbox().oauthRefreshCount(), "not refreshed with 1.5 s of 5 s left");
        sleepUntil(expires.minus(Duration.ofMillis(250)));  // 0.25 s left, less than a tenth: refreshed first
        assertEquals(200, execute("cf").status());
        assertEquals(before + 1, service.sandbox().oauthRefreshCount(), "refreshed with 0.25 s of 5 s left");
    }

    private static void sleepUntil(java.time.Instant when) throws InterruptedException {
        long millis = Duration.between(java.time.Instant.now(), when).toMillis();
        assertTrue(millis > 0, "the machine was too slow to reach this point in time");
        Thread.sleep(millis);
    }

    @Test
    void aReusedRefreshTokenMakesTheConnectionNeedReconnectAndReconnectRestoresIt() throws Exception {
        service = Service.startWithOAuth(dir, TTL);
        connect("cf");
        // someone else uses the stored refresh token first (a leak): the sandbox rotates it away from us
        String stolen = service.runtime().connections().find("cf").orElseThrow().credential().values()
                .get("refresh_token");
        CloudflareSandbox sandbox = service.sandbox();
        HttpResponse<String> thief = BROWSER.send(HttpRequest.newBuilder(URI.create(sandbox.oauthBaseUrl()
                        + "/oauth2/token")).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + sandbox.oauthClientId() + "&refresh_token=" + enc(stolen))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, thief.statusCode());
        Thread.sleep(TTL.toMillis() + 200);

        Reply failed = execute("cf");
        assertEquals("AUTHENTICATION_FAILED", failed.json().at("/error/code").asText(), failed.body());
        assertTrue(failed.json().at("/error/remediation").asText().contains("POST /api/v1/connections/cf/connect"));
        JsonNode listed = service.get("/api/v1/connections", Role.ADMIN).json().path("connections");
        boolean needsReconnect = false;
        for (JsonNode connection : listed) {
            needsReconnect |= connection.path("id").asText().equals("cf")
                    && connection.path("status").asText().equals("needs_reconnect");
        }
        assertTrue(needsReconnect, listed.toString());
        long before = sandbox.requestCount();
        assertEquals("AUTHENTICATION_FAILED", execute("cf").json().at("/error/code").asText());
        assertEquals(before, sandbox.requestCount(), "a connection needing reconnect sends nothing");

        connect("cf");  // reconnect: connect on the existing id
        assertFalse(service.get("/api/v1/connections/cf", Role.ADMIN).json().has("status"));
        assertEquals(200, execute("cf").status());
    }

    @Test
    void aReconnectReplacesTheConnectionInOneStepAndKeepsItsRecords() throws Exception {
        service = Service.startWithOAuth(dir);
        connect("cf");
        assertEquals(200, execute("cf").status());
        String before = service.get("/api/v1/connections/cf", Role.ADMIN).json().path("fingerprint").asText();
        java.nio.file.Path file = service.home().resolve("connections/cf.json");
        java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger absent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger looked = new java.util.concurrent.atomic.AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (reconnecting.get()) {
                looked.incrementAndGet();
                if (!java.nio.file.Files.exists(file) || service.runtime().connections().summary("cf").isEmpty()) {
                    absent.incrementAndGet();
                }
            }
        });
        watcher.start();
        try {
            connect("cf");
        } finally {
            reconnecting.set(false);
            watcher.join();
        }
        assertTrue(looked.get() > 10, "the watcher looked during the reconnect");
        assertEquals(0, absent.get(), "the connection was never absent during the reconnect");
        JsonNode after = service.get("/api/v1/connections/cf", Role.ADMIN).json();
        assertFalse(before.equals(after.path("fingerprint").asText()), "a new grant's tokens");
        assertEquals(200, execute("cf").status());
        JsonNode records = service.get("/api/v1/executions?connection=cf", Role.ADMIN).json().path("executions");
        for (int i = 0; i < 50 && records.size() < 2; i++) {
            Thread.sleep(100);  // records are written behind the answer
            records = service.get("/api/v1/executions?connection=cf", Role.ADMIN).json().path("executions");
        }
        assertEquals(2, records.size(), "the execution before the reconnect is still recorded: " + records);
    }

    private void connect(String id) throws Exception {
        SandboxConsent.connect(service, id, ZONE);
    }

    private Reply execute(String connection) {
        return service.post("/api/v1/skills/" + ZONE + "/executions", Role.ANALYST,
                "{\"connection\": \"" + connection + "\", \"input\": {}}");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A built-in simulator of the Cloudflare API subset the Cloudflare skills use, for trying them without a Cloudflare
 * account: official envelope, statuses and error codes, seeded data in memory, a fresh API token per start.
 *
 * <p>Listens on the loopback interface only. Its token opens nothing but this process's sandbox, which is why
 * {@link #connection()} may show it.
 */
public final class CloudflareSandbox implements AutoCloseable {

    /** The path prefix, as in {@code https://api.cloudflare.com/client/v4}. */
    public static final String PREFIX = "/client/v4";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies the sandbox accepts; a rule is a few KB. */
    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService workers;
    private final SandboxApi api;
    private final SandboxWorld world;
    private final SandboxOAuth oauth;
    private final String token;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final RateLimit rateLimit;
    private final RateLimit.Meter meter;

    private CloudflareSandbox(HttpServer server, ExecutorService workers, SandboxWorld world, String token,
                              String tokenId, RateLimit rateLimit, Duration accessTokenTtl) {
        this.server = server;
        this.workers = workers;
        this.world = world;
        this.token = token;
        this.oauth = new SandboxOAuth(Clock.systemUTC(), accessTokenTtl);
        this.api = new SandboxApi(world, token, tokenId, oauth);
        this.rateLimit = rateLimit;
        this.meter = new RateLimit.Meter(rateLimit);
    }

    /** Starts a sandbox on 127.0.0.1:{@code port} (0: any free port) with the {@link RateLimit#GENEROUS} quota. */
    public static CloudflareSandbox start(int port) throws IOException {
        return start(port, RateLimit.GENEROUS);
    }

    /** Starts a sandbox on 127.0.0.1:{@code port} (0: any free port) that enforces {@code rateLimit}. */
    public static CloudflareSandbox start(int port, RateLimit rateLimit) throws IOException {
        return start(port, rateLimit, DEFAULT_ACCESS_TOKEN_TTL);
    }

    /** Access tokens of the sandbox's OAuth server live an hour, as Cloudflare's (FACTS §6). */
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(1);

    /**
     * Starts a sandbox whose OAuth server issues access tokens living {@code accessTokenTtl} (short ones let tests
     * cross an expiry).
     */
    public static CloudflareSandbox start(int port, RateLimit rateLimit, Duration accessTokenTtl) throws IOException {
        noDelay();
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        byte[] id = new byte[16];
        random.nextBytes(id);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 2),
                runnable -> {
                    Thread thread = new Thread(runnable, "quiver-sandbox");
                    thread.setDaemon(true);
                    return thread;
                });
        CloudflareSandbox sandbox = new CloudflareSandbox(server, workers, new SandboxWorld(Instant.now()),
                "sbx_" + HexFormat.of().formatHex(secret), HexFormat.of().formatHex(id), rateLimit, accessTokenTtl);
        server.setExecutor(workers);
        server.createContext("/", sandbox::serve);
        server.start();
        return sandbox;
    }

    /**
     * Without TCP_NODELAY the JDK's server sends headers and body in two segments, and the second waits for the
     * client's delayed ACK: about 40 ms per answer on Linux loopback. The JDK reads the switch once, when its first
     * server starts in the process.
     */
    static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** {@code http://127.0.0.1:PORT/client/v4}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX;
    }

    /** {@code http://127.0.0.1:PORT}: the base of the OAuth paths {@code /oauth2/auth}, {@code /oauth2/token}. */
    public String oauthBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The id of the sandbox's public OAuth client (PKCE S256, any loopback redirect URI, no secret). */
    public String oauthClientId() {
        return SandboxOAuth.CLIENT_ID;
    }

    /** The OAuth scopes the sandbox offers, each with the permission groups it grants. */
    public Map<String, List<String>> oauthScopes() {
        return SandboxOAuth.SCOPES;
    }

    /** How many refresh-token grants its OAuth server answered with new tokens. */
    public int oauthRefreshCount() {
        return oauth.refreshes();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A ready connection for this sandbox (contract's connection JSON), token included. */
    public ObjectNode connection() {
        ObjectNode connection = JSON.createObjectNode();
        connection.put("id", "sandbox");
        connection.put("type", "cloudflare");
        connection.putObject("auth").put("method", "api_token").put("token", token);
        connection.put("account_id", SandboxWorld.ACCOUNT_ID);
        connection.put("zone_id", world.zoneId(0));
        SandboxWorld.TOKEN_GROUPS.forEach(connection.putArray("permissions")::add);
        connection.put("base_url", baseUrl());
        return connection;
    }

    /** How many requests it has answered, for tests that prove nothing was sent. */
    public long requestCount() {
        return requests.get();
    }

    /** How many requests it refused with 429 under its {@link RateLimit}. */
    public long rateLimitedCount() {
        return meter.refused();
    }

    /** Number of audit-log entries seeded. */
    public int auditLogCount() {
        return world.auditLogs.size();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            SandboxApi.Reply reply;
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/oauth2/")) {
                serveOAuth(exchange, path);
                return;
            }
            long retryAfter = meter.admit();
            if (retryAfter > 0) {
                // Cloudflare's answer to an excess (lfaoro/flares#24); the error code is not documented: 971 is
                // the one seen in the wild for "Please wait and consider throttling your request speed".
                reply = SandboxApi.failure(429, 971, "More than " + rateLimit.requests() + " requests per "
                        + rateLimit.window().toSeconds() + " seconds reached. Please wait and consider throttling"
                        + " your request speed");
                exchange.getResponseHeaders().set("retry-after", Long.toString(retryAfter));
            } else if (!path.startsWith(PREFIX + "/")) {
                reply = SandboxApi.failure(404, 7000, "No route for that URI");
            } else {
                byte[] body = read(exchange.getRequestBody());
                reply = body == null ? SandboxApi.failure(413, 20021, "the request body is too large")
                        : api.handle(new SandboxApi.Call(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                        URLDecoder.decode(path.substring(PREFIX.length()), StandardCharsets.UTF_8),
                        query(exchange.getRequestURI().getRawQuery()), headers(exchange), body));
            }
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("content-type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("cf-ray", HexFormat.of().formatHex(rayBytes()) + "-SBX");
            exchange.getResponseHeaders().set("x-ratelimit-limit", Integer.toString(rateLimit.requests()));
            exchange.getResponseHeaders().set("x-ratelimit-remaining", Integer.toString(meter.remaining()));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The authorization server's pages and endpoints: outside the API's prefix, quota and envelope. */
    private void serveOAuth(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, String> form = SandboxOAuth.form(exchange.getRequestURI().getRawQuery());
        if (method.equals("POST")) {
            byte[] body = read(exchange.getRequestBody());
            form.putAll(SandboxOAuth.form(body == null ? "" : new String(body, StandardCharsets.UTF_8)));
        }
        SandboxOAuth.Reply reply = oauth.handle(method, path, form, headers(exchange));
        exchange.getResponseHeaders().set("content-type", reply.contentType());
        exchange.getResponseHeaders().set("cache-control", "no-store");
        if (reply.location() != null) {
            exchange.getResponseHeaders().set("location", reply.location());
        }
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        if (reply.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private static byte[] rayBytes() {
        byte[] ray = new byte[8];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(ray);
        return ray;
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return headers;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return query;
    }
}

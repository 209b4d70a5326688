package dev.quiver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback stand-in for the Cloudflare API with its answers prepared in advance, so that what a benchmark
 * measures is the client, not the server: {@code GET /client/v4/zones/{id}} and a list of audit-log entries paged
 * as Cloudflare pages it ({@code since}/{@code before} exclusive, {@code direction}, {@code page}, {@code per_page}).
 */
final class LoopbackStub implements AutoCloseable {

    static final String ACCOUNT = "01a7362d577a6c3019a474fd6f485823";
    static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    /** The ref of the rule the zone's custom firewall ruleset already holds: creating it again answers "exists". */
    static final String RULE_REF = "bench-block-198.51.100.7";
    static final String ENTRYPOINT = "/zones/" + ZONE + "/rulesets/phases/http_request_firewall_custom/entrypoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final byte[] zone;
    private final byte[] ruleset;
    /** Audit-log entries oldest first, each already serialized, with their times. */
    private final byte[][] entries;
    private final long[] entryMillis;
    private final AtomicLong requests = new AtomicLong();

    private LoopbackStub(int auditEntries) throws IOException {
        ObjectNode zoneResult = JSON.createObjectNode();
        zoneResult.put("id", ZONE).put("name", "example.com").put("status", "active").put("paused", false)
                .put("type", "full").put("development_mode", 0);
        zoneResult.putArray("name_servers").add("bob.ns.cloudflare.com").add("lola.ns.cloudflare.com");
        zoneResult.putObject("account").put("id", ACCOUNT).put("name", "Example Account");
        zoneResult.putObject("plan").put("id", "free").put("name", "Free Website");
        zoneResult.putArray("permissions").add("#zone:read");
        zoneResult.put("created_on", "2014-01-01T05:20:00.12345Z").put("modified_on", "2014-01-01T05:20:00.12345Z")
                .put("activated_on", "2014-01-02T00:01:00.12345Z");
        zone = envelope(JSON.writeValueAsBytes(zoneResult), null);
        ObjectNode rulesetResult = JSON.createObjectNode();
        rulesetResult.put("id", "2f2feab2026849078ba485f918791bdc").put("name", "default").put("kind", "zone")
                .put("phase", "http_request_firewall_custom").put("version", "3");
        rulesetResult.putArray("rules").addObject().put("id", "3a03d665bac047339bb530ecb439a90d")
                .put("action", "block").put("expression", "ip.src eq 198.51.100.7").put("ref", RULE_REF)
                .put("enabled", true).put("version", "1").put("last_updated", "2026-11-01T00:00:00Z");
        ruleset = envelope(JSON.writeValueAsBytes(rulesetResult), null);

        entries = new byte[auditEntries][];
        entryMillis = new long[auditEntries];
        // 100,000 entries 0.6 s apart span under 17 hours: all inside the detection skill's default 24 h look-back,
        // and all older than its settle time.
        long first = Instant.now().minusSeconds(300).toEpochMilli() - 600L * auditEntries;
        for (int i = 0; i < auditEntries; i++) {
            entryMillis[i] = first + 600L * i;
            entries[i] = JSON.writeValueAsBytes(auditEntry(i, Instant.ofEpochMilli(entryMillis[i])));
        }

        System.setProperty("sun.net.httpserver.nodelay", "true"); // else ~40 ms of delayed ACK per answer
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "loopback-stub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    static LoopbackStub start(int auditEntries) throws IOException {
        return new LoopbackStub(auditEntries);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4";
    }

    long requests() {
        return requests.get();
    }

    /** A connection for this stub: an API token with the permissions the benchmarked skills need. */
    ObjectNode connection(String id) {
        ObjectNode connection = JSON.createObjectNode();
        connection.put("id", id).put("type", "cloudflare");
        connection.putObject("auth").put("method", "api_token").put("token", "bench_" + Long.toHexString(System.nanoTime()));
        connection.put("account_id", ACCOUNT).put("zone_id", ZONE);
        connection.putArray("permissions").add("Zone Read").add("Account Settings Read").add("Zone WAF Write");
        connection.put("base_url", baseUrl());
        return connection;
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            int status = 200;
            if (path.equals("/client/v4/zones/" + ZONE)) {
                body = zone;
            } else if (path.equals("/client/v4" + ENTRYPOINT)) {
                body = ruleset;
            } else if (path.equals("/client/v4/accounts/" + ACCOUNT + "/audit_logs")) {
                body = auditPage(query(exchange.getRequestURI().getRawQuery()));
            } else {
                status = 404;
                body = "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"No route\"}],\"messages\":[],\"result\":null}"
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.getResponseHeaders().set("cf-ray", "8d2f0a1b2c3d4e5f-BNC");
            // announces a quota it never enforces, so the client's pacer (which adopts it) never holds a call back
            exchange.getResponseHeaders().set("x-ratelimit-limit", "100000000");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] auditPage(Map<String, String> query) throws IOException {
        int from = query.containsKey("since") ? after(Instant.parse(query.get("since")).toEpochMilli()) : 0;
        int to = query.containsKey("before") ? before(Instant.parse(query.get("before")).toEpochMilli()) : entries.length;
        int total = Math.max(0, to - from);
        int perPage = Math.min(1000, Math.max(1, Integer.parseInt(query.getOrDefault("per_page", "100"))));
        int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
        boolean ascending = "asc".equals(query.get("direction"));
        int skip = (int) Math.min(total, (long) (page - 1) * perPage);
        int count = Math.min(perPage, total - skip);

        ByteArrayOutputStream items = new ByteArrayOutputStream(count * 600 + 2);
        items.write('[');
        for (int i = 0; i < count; i++) {
            int index = ascending ? from + skip + i : to - 1 - skip - i;
            if (i > 0) {
                items.write(',');
            }
            items.write(entries[index]);
        }
        items.write(']');
        String info = "{\"page\":" + page + ",\"per_page\":" + perPage + ",\"count\":" + count + ",\"total_count\":"
                + total + ",\"total_pages\":" + ((total + perPage - 1) / perPage) + "}";
        return envelope(items.toByteArray(), info);
    }

    /** Index of the first entry strictly after {@code millis}. */
    private int after(long millis) {
        int i = Arrays.binarySearch(entryMillis, millis);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Index after the last entry strictly before {@code millis}. */
    private int before(long millis) {
        int i = Arrays.binarySearch(entryMillis, millis);
        return i >= 0 ? i : -i - 1;
    }

    private static byte[] envelope(byte[] result, String resultInfo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(result.length + 128);
        out.write("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":".getBytes(StandardCharsets.UTF_8));
        out.write(result);
        if (resultInfo != null) {
            out.write((",\"result_info\":" + resultInfo).getBytes(StandardCharsets.UTF_8));
        }
        out.write('}');
        return out.toByteArray();
    }

    private static ObjectNode auditEntry(int i, Instant when) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("id", String.format("%08x-0000-4000-8000-%012x", i, (long) i * 7919));
        ObjectNode action = entry.putObject("action");
        action.put("type", i % 10 == 0 ? "login" : "rec_set").put("result", i % 37 != 0).put("info", "bench");
        ObjectNode actor = entry.putObject("actor");
        actor.put("id", "f6b5de0326bb5182b8a4840ee01ec774").put("email", "analyst" + (i % 50) + "@example.com")
                .put("ip", "198.51.100." + (i % 250)).put("type", "user");
        entry.put("interface", "API");
        entry.putObject("metadata").put("zone_name", "example.com");
        entry.putObject("newValue").put("content", "198.51.100." + (i % 250)).put("ttl", 300);
        entry.putObject("oldValue").put("content", "203.0.113." + (i % 250)).put("ttl", 300);
        entry.putObject("owner").put("id", ACCOUNT);
        entry.putObject("resource").put("id", Integer.toHexString(i)).put("type", "DNS_record");
        entry.put("when", when.toString());
        return entry;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}

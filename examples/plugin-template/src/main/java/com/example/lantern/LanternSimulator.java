package com.example.lantern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quiver.api.Simulator;
import org.pf4j.Extension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lantern's API in memory, for {@code sandbox lantern}: organisation {@code demo} with three alerts, hosts isolated
 * as asked. Listens on 127.0.0.1; its key is new on every start and opens nothing else. No options.
 */
@Extension
public class LanternSimulator implements Simulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ALERTS = Pattern.compile("^/orgs/demo/alerts$");
    private static final Pattern ISOLATE = Pattern.compile("^/orgs/demo/hosts/([A-Za-z0-9_.-]+)/isolate$");

    @Override
    public String connectionType() {
        return LanternConnectionType.ID;
    }

    @Override
    public Running start(Options options) throws IOException {
        if (!options.options().isEmpty()) {
            throw new IllegalArgumentException("the Lantern simulator takes no options, not " + options.options().keySet());
        }
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        String key = "lk_" + HexFormat.of().formatHex(secret);
        Set<String> isolated = ConcurrentHashMap.newKeySet();
        AtomicLong requests = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                answer(exchange, key, isolated);
            }
        });
        server.start();
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        return new Running() {
            @Override
            public ObjectNode connection() {
                ObjectNode connection = JSON.createObjectNode();
                connection.put("id", "lantern-sandbox");
                connection.put("type", LanternConnectionType.ID);
                connection.putObject("auth").put("method", "api_key").put("key", key);
                connection.put("organization_url", "https://lantern.example/orgs/demo");
                connection.putArray("permissions").add(LanternConnectionType.ALERTS_READ)
                        .add(LanternConnectionType.HOSTS_ISOLATE);
                connection.put("base_url", baseUrl);
                return connection;
            }

            @Override
            public String describe() {
                return "Lantern sandbox serving " + baseUrl + " (organisation demo, 3 alerts; " + requests.get()
                        + " requests so far)";
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    private static void answer(HttpExchange exchange, String key, Set<String> isolated) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!key.equals(exchange.getRequestHeaders().getFirst("X-Lantern-Key"))) {
            send(exchange, 401, Map.of("error", "invalid API key"));
            return;
        }
        if ("GET".equals(exchange.getRequestMethod()) && ALERTS.matcher(path).matches()) {
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            ObjectNode body = JSON.createObjectNode();
            ArrayNode alerts = body.putArray("alerts");
            alert(alerts, "al_3", "high", "Credential dumping tool executed", "ws-0042", "2026-11-27T09:12:00Z", query);
            alert(alerts, "al_2", "medium", "Unusual outbound traffic", "srv-db-01", "2026-11-27T08:40:00Z", query);
            alert(alerts, "al_1", "low", "New admin account created", "ws-0007", "2026-11-26T22:05:00Z", query);
            send(exchange, 200, body);
            return;
        }
        Matcher isolate = ISOLATE.matcher(path);
        if ("POST".equals(exchange.getRequestMethod()) && isolate.matches()) {
            exchange.getRequestBody().readAllBytes();
            boolean already = !isolated.add(isolate.group(1));
            send(exchange, 200, Map.of("host_id", isolate.group(1), "already_isolated", already));
            return;
        }
        send(exchange, 404, Map.of("error", "no such route"));
    }

    private static void alert(ArrayNode alerts, String id, String severity, String title, String host, String at,
                              String query) {
        if (query.contains("severity=") && !query.contains("severity=" + severity)) {
            return;
        }
        alerts.addObject().put("id", id).put("severity", severity).put("title", title).put("host_id", host)
                .put("created_at", at);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Lantern-Request-Id", "lrq_" + UUID.randomUUID());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

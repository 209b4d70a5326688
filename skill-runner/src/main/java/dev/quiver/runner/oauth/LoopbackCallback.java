package dev.quiver.runner.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's redirect URI (RFC 8252 §7.3): a listener on {@code http://127.0.0.1:<random port>/callback} for the one
 * callback of a connect started at a terminal. Only the loopback interface is bound; a request whose {@code state}
 * is not the connect's is answered 400 and changes nothing (a page probing the port cannot end or hijack the
 * connect). The code is exchanged while the browser waits, so its page says what happened.
 */
public final class LoopbackCallback implements AutoCloseable {

    private static final String PATH = "/callback";

    private final HttpServer server;
    private final CompletableFuture<OAuthFlow.Connected> outcome = new CompletableFuture<>();
    private volatile OAuthFlow flow;
    private volatile String state;

    private LoopbackCallback(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1, on a port the system chooses. */
    public static LoopbackCallback listen() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LoopbackCallback callback = new LoopbackCallback(server);
        server.createContext(PATH, callback::handle);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quiver-oauth-callback");
            thread.setDaemon(true);  // a Ctrl-C or a timeout never waits for it
            return thread;
        }));
        server.start();
        return callback;
    }

    /** {@code http://127.0.0.1:PORT/callback}: the redirect URI to start the connect with. */
    public String redirectUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Expects the callback of the connect started with {@code state}, to complete through {@code flow}. */
    public void expect(OAuthFlow flow, String state) {
        this.flow = flow;
        this.state = state;
    }

    /**
     * Waits for the expected callback ({@link #expect}) and answers the connection it stored.
     *
     * @throws OAuthFlow.OAuthException the connect was refused (denied consent, a refused code): nothing changed
     * @throws TimeoutException         no callback within {@code timeout}: nothing changed
     * @throws InterruptedException     interrupted (Ctrl-C in an embedding caller): nothing changed
     */
    public OAuthFlow.Connected await(Duration timeout)
            throws OAuthFlow.OAuthException, TimeoutException, InterruptedException {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OAuthFlow.OAuthException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String expected = state;
            if (!"GET".equals(exchange.getRequestMethod()) || expected == null || !expected.equals(query.get("state"))
                    || outcome.isDone()) {
                answer(exchange, 400, "Not connected", "<p>This is not the answer to the connect running at the"
                        + " terminal; nothing was changed.</p>");
                return;
            }
            try {
                OAuthFlow.Connected connected = flow.complete(query.get("code"), query.get("state"),
                        query.get("error"));
                StringBuilder body = new StringBuilder("<p>Connection <b>").append(escape(connected.connectionId()))
                        .append("</b> (").append(escape(connected.type())).append(") is connected. Ready skills: ")
                        .append(escape(String.join(", ", connected.readySkills()))).append(".</p>\n");
                connected.declinedSkills().forEach((skill, scopes) -> body.append("<p>").append(escape(skill))
                        .append(": reconnect and approve ").append(escape(String.join(", ", scopes))).append("</p>\n"));
                body.append("<p>You can close this page and return to the terminal.</p>\n");
                answer(exchange, 200, "Connected", body.toString());
                outcome.complete(connected);
            } catch (OAuthFlow.OAuthException e) {
                answer(exchange, e.status(), "Not connected", "<p>" + escape(e.getMessage()) + "</p>");
                outcome.completeExceptionally(e);
            } catch (RuntimeException e) {
                answer(exchange, 500, "Not connected", "<p>The connection could not be stored: see the"
                        + " terminal.</p>");
                outcome.completeExceptionally(e);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String title, String body) throws IOException {
        byte[] page = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Quiver: " + title
                + "</title></head><body>\n<h1>" + title + "</h1>\n" + body + "</body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");  // the URL holds the code
        exchange.sendResponseHeaders(status, page.length);
        exchange.getResponseBody().write(page);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!query.containsKey(name)) {
                query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Stops listening at once. */
    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

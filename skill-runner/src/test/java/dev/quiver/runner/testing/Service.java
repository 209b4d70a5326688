package dev.quiver.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.http.QuiverService;
import dev.quiver.runner.internal.Json;
import dev.quiver.sandbox.CloudflareSandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The real HTTP service on a random port, over a runtime with a temporary home, the real Cloudflare plugin archive,
 * the sandbox stored as connection {@code sandbox}, and one API key per role.
 */
public final class Service implements AutoCloseable {

    public static final String SANDBOX = "sandbox";

    private final Path home;
    private final Path plugins;
    private final CloudflareSandbox sandbox;
    private final Map<Role, String> keys = new EnumMap<>(Role.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final QuiverService.Limits limits;
    private java.util.function.Function<String, String> environment = name -> null;
    private QuiverRuntime runtime;
    private QuiverService service;

    private Service(Path home, Path plugins, CloudflareSandbox sandbox, QuiverService.Limits limits) {
        this.home = home;
        this.plugins = plugins;
        this.sandbox = sandbox;
        this.limits = limits;
    }

    /** Starts everything in {@code dir}: home {@code dir/home}, plugins from {@code dir/plugins}. */
    public static Service start(Path dir) throws Exception {
        return start(dir, QuiverService.Limits.DEFAULTS);
    }

    /** {@link #start(Path)} with the service's {@code limits} instead of the defaults. */
    public static Service start(Path dir, QuiverService.Limits limits) throws Exception {
        return start(dir, limits, false);
    }

    /**
     * {@link #start(Path)} with OAuth configured for the sandbox's authorization server and public client, as
     * {@code QUIVER_OAUTH_CLIENT_ID} and {@code QUIVER_OAUTH_BASE_URL} would.
     */
    public static Service startWithOAuth(Path dir) throws Exception {
        return start(dir, QuiverService.Limits.DEFAULTS, CloudflareSandbox.DEFAULT_ACCESS_TOKEN_TTL);
    }

    /** {@link #startWithOAuth(Path)} with the sandbox's access tokens living {@code tokenTtl}. */
    public static Service startWithOAuth(Path dir, Duration tokenTtl) throws Exception {
        return start(dir, QuiverService.Limits.DEFAULTS, tokenTtl);
    }

    private static Service start(Path dir, QuiverService.Limits limits, boolean oauth) throws Exception {
        return start(dir, limits, oauth ? CloudflareSandbox.DEFAULT_ACCESS_TOKEN_TTL : null);
    }

    /**
     * {@link #startWithOAuth(Path, Duration)} with the deployment's authorization server at {@code oauthBaseUrl}
     * (a proxy in front of the sandbox's, say): connects are issued there, and their tokens go back there.
     */
    public static Service startWithOAuth(Path dir, Duration tokenTtl, String oauthBaseUrl) throws Exception {
        return start(dir, QuiverService.Limits.DEFAULTS, tokenTtl, oauthBaseUrl);
    }

    private static Service start(Path dir, QuiverService.Limits limits, Duration tokenTtl) throws Exception {
        return start(dir, limits, tokenTtl, null);
    }

    private static Service start(Path dir, QuiverService.Limits limits, Duration tokenTtl, String oauthBaseUrl)
            throws Exception {
        boolean oauth = tokenTtl != null;
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Service service = new Service(dir.resolve("home"), plugins, oauth
                ? CloudflareSandbox.start(0, dev.quiver.sandbox.RateLimit.GENEROUS, tokenTtl)
                : CloudflareSandbox.start(0), limits);
        if (oauth) {
            CloudflareSandbox sandbox = service.sandbox;
            service.environment = name -> switch (name) {
                case "QUIVER_OAUTH_CLIENT_ID" -> sandbox.oauthClientId();
                case "QUIVER_OAUTH_BASE_URL" -> oauthBaseUrl != null ? oauthBaseUrl : sandbox.oauthBaseUrl();
                default -> null;
            };
        }
        service.boot();
        ObjectNode connection = service.sandbox.connection();
        connection.put("id", SANDBOX);
        service.runtime.connections().addRemote(connection, "test");
        for (Role role : Role.values()) {
            service.keys.put(role, service.runtime.keys().create(role).key());
        }
        return service;
    }

    private void boot() {
        runtime = QuiverRuntime.start(home, List.of(plugins), environment);
        service = QuiverService.start(runtime, "127.0.0.1", 0, limits);
    }

    /** Stops the service and the runtime and starts both again on the same home (a new port). */
    public void restart() {
        service.shutdown(Duration.ofSeconds(5));
        runtime.close();
        boot();
    }

    /** The service's port, for a client that writes its own bytes ({@link RawHttp}). */
    public int port() {
        return service.port();
    }

    /** The service's OAuth callback URL, as the authorization server redirects to it. */
    public String runtimeCallback() {
        return service.uri() + "/api/v1/oauth/callback";
    }

    public QuiverRuntime runtime() {
        return runtime;
    }

    public Path home() {
        return home;
    }

    public CloudflareSandbox sandbox() {
        return sandbox;
    }

    public String key(Role role) {
        return keys.get(role);
    }

    /** A response: status, headers and body text. */
    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    public Reply get(String path, Role role) {
        return send("GET", path, role == null ? null : key(role), null, null);
    }

    public Reply post(String path, Role role, String json) {
        return send("POST", path, role == null ? null : key(role), "application/json", json);
    }

    public Reply delete(String path, Role role) {
        return send("DELETE", path, role == null ? null : key(role), null, null);
    }

    /** Runs {@code skill} on the sandbox with {@code input} (JSON text). */
    public Reply execute(String skill, Role role, String input) {
        return post("/api/v1/skills/" + skill + "/executions", role,
                "{\"connection\": \"" + SANDBOX + "\", \"input\": " + input + "}");
    }

    public Reply send(String method, String path, String key, String contentType, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.uri() + path))
                .timeout(Duration.ofSeconds(60));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString(body.toString());
        request.method(method, publisher);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        service.shutdown(Duration.ofSeconds(5));
        runtime.close();
        sandbox.close();
    }
}

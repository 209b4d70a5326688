package dev.quiver.runner.transport;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.gate.AuthHeaders;
import dev.quiver.runner.connection.Connection;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import dev.quiver.runner.internal.QuiverVersion;

/**
 * Makes the per-execution transports plugins send requests with. All of them share one OkHttp client, and so one
 * connection pool and dispatcher. Thread-safe.
 */
public final class TransportFactory implements AutoCloseable {

    static final String USER_AGENT = "quiver/" + QuiverVersion.VALUE;
    static final int IDLE_CONNECTIONS = 64;

    private final VendorTraffic traffic = new VendorTraffic();
    private volatile CredentialRenewal renewal = CredentialRenewal.NONE;
    /** Made on first use: loading OkHttp takes ~0.2 s, which commands that send nothing should not pay. */
    private OkHttpClient client;

    private synchronized OkHttpClient client() {
        if (client == null) {
            client = new OkHttpClient.Builder()
                    // OkHttp keeps 5 idle connections by default: over HTTP/1.1 (the sandbox, a proxy) a busier
                    // service would reopen a connection for most requests. An HTTP/2 upstream shares one anyway.
                    .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60))
                    .followRedirects(false)
                    .retryOnConnectionFailure(false)
                    .build();
        }
        return client;
    }

    /**
     * A transport for one execution on {@code connection}: requests go to its base URL (or the type's default),
     * carry its credential as the type's auth method says, and stop at {@code deadline}.
     *
     * @throws IllegalArgumentException when the connection's auth method is not one of the type's or its base URL
     *                                  is not an http(s) URL
     */
    public ExecutionTransport bind(Connection connection, ConnectionType type, Instant deadline) {
        AuthMethod method = type.authMethods().stream()
                .filter(m -> m.name().equals(connection.credential().method()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("auth method " + connection.credential().method()
                        + " is not supported by " + type.id() + " connections"));
        AuthHeaders.resolve(method, connection.credential().values());  // refuses an incomplete credential now
        String base = connection.baseUrl() != null ? connection.baseUrl() : type.defaultBaseUrl();
        HttpUrl baseUrl = HttpUrl.parse(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (baseUrl == null) {
            throw new IllegalArgumentException("base_url is not an http(s) URL");
        }
        return new ExecutionTransport(client(), baseUrl, connection, method, renewal, type.requestIdHeader(),
                deadline, traffic.of(type.id()));
    }

    /** How transports renew a credential the vendor refused with a 401 (by default they do not). */
    public void renewWith(CredentialRenewal renewal) {
        this.renewal = java.util.Objects.requireNonNull(renewal);
    }

    /** What every transport made here has sent. */
    public VendorTraffic traffic() {
        return traffic;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}

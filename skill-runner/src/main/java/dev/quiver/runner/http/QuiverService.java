package dev.quiver.runner.http;

import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.batch.BatchInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP service: Micronaut on Netty, serving the contract's routes over a running {@link QuiverRuntime}. The
 * controllers are thin: they read the request, call the runtime, and map the result to a status.
 */
public final class QuiverService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuiverService.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final QuiverRuntime runtime;

    private QuiverService(ApplicationContext context, EmbeddedServer server, QuiverRuntime runtime) {
        this.context = context;
        this.server = server;
        this.runtime = runtime;
    }

    /**
     * Starts serving {@code runtime} on {@code bind}:{@code port} (0 for any free port).
     *
     * @throws io.micronaut.http.server.exceptions.ServerStartupException when the address cannot be bound
     */
    public static QuiverService start(QuiverRuntime runtime, String bind, int port) {
        return start(runtime, bind, port, Limits.DEFAULTS);
    }

    /** Starts serving with {@code limits} instead of the defaults. */
    public static QuiverService start(QuiverRuntime runtime, String bind, int port, Limits limits) {
        return prepare(bind, port, limits).serve(runtime);
    }

    /**
     * What one request may ask of the service, beyond the routes' fixed body limits.
     *
     * @param batchMaxLines   the most request lines one batch may have
     * @param bodyReadTimeout how long a request body may take to arrive, from its headers to its last byte
     */
    public record Limits(int batchMaxLines, Duration bodyReadTimeout) {

        /** 10,000 lines; a minute per body (a 64 MiB plugin archive at about 1 MiB/s). */
        public static final Limits DEFAULTS = new Limits(BatchInput.DEFAULT_MAX_LINES, Duration.ofSeconds(60));

        public Limits {
            if (batchMaxLines < 1) {
                throw new IllegalArgumentException("the batch line cap must be at least 1");
            }
            if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
                throw new IllegalArgumentException("the body read timeout must be positive");
            }
        }
    }

    /**
     * Starts the web framework in the background, so that it loads while the caller starts the runtime: both take
     * about a second, and {@code serve} answers sooner for doing them side by side.
     */
    public static Preparing prepare(String bind, int port) {
        return prepare(bind, port, Limits.DEFAULTS);
    }

    /** {@link #prepare(String, int)} with {@code limits} instead of the defaults. */
    public static Preparing prepare(String bind, int port, Limits limits) {
        return prepare(bind, port, limits, false);
    }

    /**
     * {@link #prepare(String, int, Limits)}, and whether MCP writes run without a confirmation ({@code /mcp} is
     * stateless: it cannot ask the person).
     */
    public static Preparing prepare(String bind, int port, Limits limits, boolean mcpAllowWrites) {
        return new Preparing(CompletableFuture.supplyAsync(() -> ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(Map.ofEntries(
                        Map.entry("micronaut.application.name", "quiver"),
                        Map.entry("micronaut.server.host", bind),
                        Map.entry("micronaut.server.port", port == 0 ? -1 : port),
                        // Micronaut counts every body's bytes as they come against max-request-size, and buffers a
                        // body bound whole (a String, a byte[]) up to max-request-buffer-size: both must reach the
                        // largest route limit (a plugin archive), or a large batch or archive fails with a 500.
                        // Each route's own, smaller limit is the BodyGuard's. (read-timeout does nothing in Micronaut 4,
                        // and the idle timeouts never fire on a body that trickles in a byte at a time: the BodyGuard
                        // has the body's read deadline too.)
                        Map.entry("micronaut.server.max-request-size", Allowed.ARCHIVE_BODY),
                        Map.entry("micronaut.server.max-request-buffer-size", Allowed.ARCHIVE_BODY),
                        Map.entry(BodyGuardInstaller.READ_TIMEOUT, limits.bodyReadTimeout().toMillis() + "ms"),
                        Map.entry(BatchController.MAX_LINES, limits.batchMaxLines()),
                        Map.entry(McpController.ALLOW_WRITES, mcpAllowWrites),
                        Map.entry("micronaut.server.multipart.enabled", false),
                        Map.entry("micronaut.server.date-header", false),
                        // /metrics is Micrometer's Prometheus registry, served by OperationsController at the
                        // contract's path and role. Per-request timing by URI would put a filter on every request
                        // (bodies included) for series nobody asked for; the runner's own meters time executions.
                        Map.entry("micronaut.metrics.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.descriptions", true),
                        Map.entry("micronaut.metrics.binders.web.enabled", false),
                        // Timing every task of every executor, and counting every log event through a Logback
                        // filter, costs on the hot paths and at start for series nobody scrapes; JVM, process and
                        // uptime series stay.
                        Map.entry("micronaut.metrics.binders.executor.enabled", false),
                        Map.entry("micronaut.metrics.binders.logback.enabled", false),
                        Map.entry("micronaut.metrics.binders.files.enabled", false),
                        Map.entry("jackson.serialization-inclusion", "non_null")))
                .start()).thenApply(QuiverService::beansAhead));
    }

    /**
     * Makes the server (with its router, built from every controller's declaration) and the meter registry while
     * the runtime starts: neither needs the runtime, and made in {@link Preparing#serve} they kept the port unbound
     * for about half of the framework's start (in a profile). Should one fail here, {@code serve} asks again and
     * fails as it always did.
     */
    private static ApplicationContext beansAhead(ApplicationContext context) {
        try {
            context.getBean(MeterRegistry.class);
            context.getBean(EmbeddedServer.class);
        } catch (RuntimeException e) {
            log.debug("made on serve instead: {}", e.toString());
        }
        return context;
    }

    /** A service whose framework is starting, waiting for its runtime. */
    public static final class Preparing {

        private final CompletableFuture<ApplicationContext> context;
        private final AtomicBoolean taken = new AtomicBoolean();

        private Preparing(CompletableFuture<ApplicationContext> context) {
            this.context = context;
        }

        /**
         * Serves {@code runtime} once the framework is up: controllers are made on first use, so the runtime can
         * join the context after it started.
         */
        public QuiverService serve(QuiverRuntime runtime) {
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("this service was already served or abandoned");
            }
            ApplicationContext started = context.join();
            try {
                CallbackLogGuard.install();  // before the first request: the callback's URL holds a code
                started.registerSingleton(QuiverRuntime.class, runtime);
                runtime.metrics().bindTo(started.getBean(MeterRegistry.class));
                EmbeddedServer server = started.getBean(EmbeddedServer.class).start();
                runtime.oauth().serviceListening(server.getHost(), server.getPort());
                return new QuiverService(started, server, runtime);
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
        }

        /** Stops the framework unless it was served: for a caller that fails before it could serve. */
        public void abandon() {
            if (taken.compareAndSet(false, true)) {
                context.thenAccept(ApplicationContext::close);
            }
        }
    }

    /** The service's base URL, e.g. {@code http://127.0.0.1:8686}. */
    public URI uri() {
        return URI.create("http://" + hostForUrl() + ":" + server.getPort());
    }

    public int port() {
        return server.getPort();
    }

    private String hostForUrl() {
        String host = server.getHost();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * Shuts down gracefully: new requests get 503, running executions finish (up to {@code grace}), then the server
     * stops. The runtime stays open: its owner closes it.
     */
    public void shutdown(Duration grace) {
        context.getBean(Draining.class).begin();
        if (!runtime.pipeline().awaitIdle(grace)) {
            log.warn("stopping with executions still running after {} s", grace.toSeconds());
        }
        server.stop();
        context.close();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}

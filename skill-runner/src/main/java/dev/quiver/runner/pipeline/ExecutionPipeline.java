package dev.quiver.runner.pipeline;

import dev.quiver.gate.ResourceBinder;
import dev.quiver.gate.PermissionGate;
import dev.quiver.gate.MissingPermission;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.ConnectionSource;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.schema.Violations;
import dev.quiver.runner.transport.ExecutionTransport;
import dev.quiver.runner.transport.TransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.ErrorCode;

/**
 * The one place policy lives: resolve the connection → validate the input → resolve the permissions this input
 * needs → check them against the connection (before any request leaves) → execute under a deadline → validate the
 * output → result. The CLI, the batch runner and the HTTP service all run skills through it. Thread-safe.
 */
public final class ExecutionPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutionPipeline.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<SkillCatalog> catalog;
    private final ConnectionSource connections;
    private final TransportFactory transports;
    private final List<ExecutionObserver> observers;
    private final ExecutorService executor;
    private final Object idle = new Object();
    private int running;

    /**
     * @param catalog     the current catalogue (read once per execution, so plugins may change between executions)
     * @param connections resolves connection references
     * @param transports  makes the per-execution transports
     * @param observers   told of each finished execution, in order (the records first)
     */
    public ExecutionPipeline(Supplier<SkillCatalog> catalog, ConnectionSource connections,
                             TransportFactory transports, List<ExecutionObserver> observers) {
        this.catalog = catalog;
        this.connections = connections;
        this.transports = transports;
        this.observers = List.copyOf(observers);
        this.executor = Executors.newCachedThreadPool(daemonThreads());
    }

    /** Runs one request through every stage, records it, and returns; never throws for a failure. */
    public ExecutionResult execute(ExecutionRequest request) {
        synchronized (idle) {
            running++;
        }
        try {
            ExecutionResult result = run(request);
            for (ExecutionObserver observer : observers) {
                try {
                    observer.finished(request, result);
                } catch (Exception e) {
                    log.error("execution {}: {} failed: {}", result.executionId(), observer, e.toString());
                    result = result.warn("the execution was not fully recorded: " + e.getMessage());
                }
            }
            return result;
        } finally {
            synchronized (idle) {
                if (--running == 0) {
                    idle.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no execution is running, for a graceful shutdown; new executions may still start meanwhile.
     *
     * @return false when some were still running at {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (running > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private ExecutionResult run(ExecutionRequest request) {
        Instant started = Instant.now();
        Instant deadline = started.plus(request.timeout());
        String executionId = newExecutionId();
        List<String> warnings = new ArrayList<>();
        Connection connection = null;
        ExecutionTransport transport = null;
        JsonNode output = null;
        Violations inputViolations = null;
        Failure failure = null;
        CatalogEntry entry = null;
        try {
            entry = admit(request);
            checkRole(entry, request.caller());
            if (request.dryRun() && entry.descriptor().access() == SkillDescriptor.Access.READ) {
                warnings.add(entry.id() + " is a read skill: it has nothing to preview, so the dry run read as"
                        + " usual");
            }
            connection = connections.resolve(request.connection(), request.caller());
            checkType(entry, connection);
            inputViolations = entry.input().validate(request.input());
            JsonNode input = validInput(entry, request.input(), inputViolations);
            List<RequiredPermission> needs = bind(requiredPermissions(entry, input, connection.info()), input,
                    connection, entry);
            PermissionGate.Decision decision = PermissionGate.check(needs, connection.holder(),
                    entry.connectionType(), entry.vocabulary());
            warnings.addAll(decision.warnings());
            if (!decision.allowed()) {
                throw denied(entry, connection, decision.missing()).raise();
            }
            transport = bind(entry, connection, deadline);
            // The skill learns which of its optional rules the gate found held, and does less without the others.
            SkillContext context = new SkillContext(executionId, connection.info(), transport, request.dryRun(),
                    deadline, LoggerFactory.getLogger("quiver.skill." + entry.id()), decision.optional());
            output = validOutput(entry, run(entry, input, context, deadline));
        } catch (FailureException e) {
            failure = e.failure();
        } finally {
            if (entry != null) {
                entry.inFlight().exit();
            }
        }
        if (failure != null && transport != null && transport.renewalFailure() != null) {
            // The vendor refused the credential and it could not be renewed: say why (a revoked grant needs a
            // reconnect), not only what the skill made of the 401.
            failure = transport.renewalFailure();
        }
        // Built only now, from the validation's outcome: a refused input leaves only pointers and keywords.
        JsonNode recordedInput = entry == null ? null : InputRecord.of(entry, request.input(), inputViolations);
        Redactor redactor = Redactor.of(entry == null ? null : entry.connectionType(), connection,
                transport == null ? null : transport.connection());
        output = redactor.json(output);
        warnings.replaceAll(redactor::text);
        ExecutionResult result = new ExecutionResult(executionId, request.skillId(),
                connection != null ? connection.id() : request.connection(), started,
                Duration.between(started, Instant.now()), failure == null ? output : null,
                failure == null ? null : redactor.failure(failure),
                transport == null ? List.of() : transport.requestIds().stream().map(redactor::text).toList(),
                transport == null ? 0 : transport.requestsSent(), warnings, recordedInput,
                failure == null ? jsonSize(output) : 0,
                entry != null && entry.descriptor().access() == SkillDescriptor.Access.WRITE);
        log.info("execution {} skill={} connection={} status={}{} duration_ms={} requests={}", executionId,
                result.skillId(), result.connectionId(), result.status(),
                failure == null ? "" : " code=" + failure.code(), result.duration().toMillis(), result.requestsSent());
        return result;
    }

    // The skill, held in-flight so that its plugin is not unloaded under it. A plugin being replaced admits no new
    // execution; the catalogue read again then holds its successor.
    private CatalogEntry admit(ExecutionRequest request) throws FailureException {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<CatalogEntry> entry = catalog.get().find(request.skillId());
            if (entry.isPresent() && entry.get().inFlight().enter()) {
                return entry.get();
            }
        }
        throw Failure.of(ErrorCode.UNKNOWN_SKILL, catalog.get().unknownSkillMessage(request.skillId()),
                "List the installed skills with 'skills'; 'plugins' shows plugins that failed to load.").raise();
    }

    /** The least role that may run a skill: analyst for read skills, responder for write skills. */
    public static Role requiredRole(SkillDescriptor descriptor) {
        return descriptor.access() == SkillDescriptor.Access.WRITE ? Role.RESPONDER : Role.ANALYST;
    }

    private static void checkRole(CatalogEntry entry, Caller caller) throws FailureException {
        boolean write = entry.descriptor().access() == SkillDescriptor.Access.WRITE;
        Role needed = requiredRole(entry.descriptor());
        if (!caller.role().includes(needed)) {
            throw new Failure(ErrorCode.PERMISSION_DENIED, "API key " + caller.id() + " has role "
                    + caller.role().jsonName() + ", which may not run " + (write ? "write" : "read") + " skills such"
                    + " as " + entry.id() + ". Nothing was run.",
                    List.of(Map.of("role", caller.role().jsonName(), "required_role", needed.jsonName())),
                    "Use a key with role " + needed.orHigher() + " (an admin creates one with 'keys create"
                            + " --role " + needed.jsonName() + "').", List.of()).raise();
        }
    }

    // Counted while serialising into nothing: a large output is not copied into a byte array just to be measured.
    private static long jsonSize(JsonNode output) {
        if (output == null) {
            return 0;
        }
        long[] size = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                size[0] += len;
            }
        };
        try {
            Json.MAPPER.writeValue(counter, output);
        } catch (java.io.IOException e) {
            return 0;
        }
        return size[0];
    }

    private static void checkType(CatalogEntry entry, Connection connection) throws FailureException {
        if (!entry.descriptor().connectionType().equals(connection.type())) {
            throw Failure.of(ErrorCode.UNKNOWN_CONNECTION, "skill " + entry.id() + " runs on "
                    + entry.descriptor().connectionType() + " connections; connection '" + connection.id()
                    + "' is of type " + connection.type(), "Use a " + entry.descriptor().connectionType()
                    + " connection.").raise();
        }
        if (entry.connectionType().authMethods().stream()
                .noneMatch(m -> m.name().equals(connection.credential().method()))) {
            throw Failure.of(ErrorCode.INVALID_CONNECTION, "connection '" + connection.id() + "' uses auth method "
                    + connection.credential().method() + ", which " + connection.type()
                    + " connections do not support", null).raise();
        }
    }

    private static JsonNode validInput(CatalogEntry entry, JsonNode input, Violations violations)
            throws FailureException {
        if (!violations.isEmpty()) {
            throw new Failure(ErrorCode.INVALID_INPUT, "the input breaks the input schema of " + entry.id() + " ("
                    + violations.count() + ")", violations.asDetails(),
                    "Fix the fields named in details; 'describe " + entry.id() + "' shows the input schema.",
                    List.of(), violations.total()).raise();
        }
        return input;
    }

    private static List<RequiredPermission> requiredPermissions(CatalogEntry entry, JsonNode input,
                                                                ConnectionInfo connection) throws FailureException {
        List<RequiredPermission> needs;
        try {
            needs = entry.skill().requiredPermissions(input, connection);
        } catch (SkillException e) {
            throw Failure.of(e).raise();
        } catch (RuntimeException | LinkageError e) {
            throw pluginFault(entry, "failed to resolve its permissions", e).raise();
        }
        for (RequiredPermission need : needs) {
            if (!entry.descriptor().permissions().contains(need.rule())) {
                throw Failure.of(ErrorCode.PLUGIN_FAULT, "skill " + entry.id() + " asked for a permission rule it"
                        + " does not declare: " + need.rule().anyOf(), "Report this to the plugin's author.").raise();
            }
        }
        return needs;
    }

    private static List<RequiredPermission> bind(List<RequiredPermission> needs, JsonNode input,
                                                 Connection connection, CatalogEntry entry) throws FailureException {
        try {
            return ResourceBinder.bind(needs, input, connection.holder(), entry.vocabulary());
        } catch (ResourceBinder.NoResource e) {
            throw Failure.of(ErrorCode.INVALID_INPUT, e.getMessage(), e.remediation()).raise();
        }
    }

    private static Failure denied(CatalogEntry entry, Connection connection, List<MissingPermission> missing) {
        List<Map<String, Object>> details = new ArrayList<>();
        for (MissingPermission m : missing) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("permission", m.permission());
            detail.put("scope", m.scope());
            detail.put("resource", m.resource());
            detail.put("reason", m.reason());
            details.add(detail);
        }
        String names = String.join(", ", missing.stream().map(m -> m.permission() + " ("
                + m.scope() + (m.resource() == null ? "" : " " + m.resource()) + ")").toList());
        return new Failure(ErrorCode.PERMISSION_DENIED, "connection '" + connection.id() + "' may not run "
                + entry.id() + ": missing " + names + ". Nothing was sent to " + connection.type() + ".",
                details, PermissionGate.remediation(connection.holder(), entry.connectionType(), entry.vocabulary(),
                missing), missing);
    }

    private ExecutionTransport bind(CatalogEntry entry, Connection connection, Instant deadline)
            throws FailureException {
        try {
            return transports.bind(connection, entry.connectionType(), deadline);
        } catch (IllegalArgumentException e) {
            throw Failure.of(ErrorCode.INVALID_CONNECTION, "connection '" + connection.id() + "' cannot be used: "
                    + e.getMessage(), "Fix the connection's auth and base_url.").raise();
        }
    }

    private JsonNode run(CatalogEntry entry, JsonNode input, SkillContext context, Instant deadline)
            throws FailureException {
        Future<JsonNode> running = executor.submit(() -> entry.skill().execute(input, context));
        try {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            return running.get(Math.max(left, 0), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            throw timedOut(entry).raise();
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw Failure.of(ErrorCode.TIMEOUT, "the execution was interrupted", null).raise();
        } catch (CancellationException e) {
            throw Failure.of(ErrorCode.TIMEOUT, "the execution was cancelled", null).raise();
        } catch (ExecutionException e) {
            // The transport cuts every call at the same deadline, so a skill may fail of it a moment before the
            // wait above gives up: past the deadline, whatever it threw, the execution timed out.
            if (!Instant.now().isBefore(deadline)) {
                throw timedOut(entry).raise();
            }
            Throwable cause = e.getCause();
            if (cause instanceof SkillException skillFailure) {
                throw Failure.of(skillFailure).raise();
            }
            throw pluginFault(entry, "failed", cause).raise();
        }
    }

    private static Failure timedOut(CatalogEntry entry) {
        return Failure.of(ErrorCode.TIMEOUT, "skill " + entry.id() + " did not finish within its deadline",
                "Retry with a longer timeout, or narrow the request (filters, limit).");
    }

    private static JsonNode validOutput(CatalogEntry entry, JsonNode output) throws FailureException {
        if (output == null) {
            throw Failure.of(ErrorCode.PLUGIN_FAULT, "skill " + entry.id() + " returned no output",
                    "Report this to the plugin's author.").raise();
        }
        Violations violations = entry.output().validate(output);
        if (!violations.isEmpty()) {
            throw new Failure(ErrorCode.PLUGIN_FAULT, "skill " + entry.id() + " returned output that breaks its"
                    + " output schema (" + violations.count() + ")", violations.asDetails(),
                    "Report this to the author of plugin " + entry.pluginId() + "; the output was discarded.",
                    List.of(), violations.total()).raise();
        }
        return output;
    }

    private static Failure pluginFault(CatalogEntry entry, String what, Throwable cause) {
        log.warn("skill {} of plugin {} {}", entry.id(), entry.pluginId(), what, cause);
        return Failure.of(ErrorCode.PLUGIN_FAULT, "skill " + entry.id() + " " + what + ": "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                "Report this to the author of plugin " + entry.pluginId() + " " + entry.pluginVersion() + ".");
    }

    private static String newExecutionId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return "ex_" + HexFormat.of().formatHex(bytes);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "quiver-exec-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

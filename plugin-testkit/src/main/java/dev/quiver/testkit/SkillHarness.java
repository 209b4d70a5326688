package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.HttpTransport;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.gate.PermissionGate;
import dev.quiver.gate.PermissionVocabulary;
import dev.quiver.gate.ResourceBinder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a skill the way the runner's pipeline does, without the runner: the input checked against the input schema,
 * the skill's permissions bound and judged by the runner's own permission gate (the {@code permission-gate} module)
 * on the connection type's declarations, the skill run under a deadline (interrupted when it passes), and the output
 * checked against the output schema. Nothing is sent when the input or the gate refuses.
 *
 * <p>Requests go over a real HTTP transport ({@link TestTransport}) to the connection's base URL, a WireMock server
 * or the plugin's simulator, or to a transport of the test's own ({@link #withTransport}). Immutable: every
 * {@code with…} returns a new harness.
 */
public final class SkillHarness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "quiver-testkit-skill");
        thread.setDaemon(true);
        return thread;
    });

    private final ConnectionType type;
    private final TestConnection connection;
    private final Duration timeout;
    private final boolean dryRun;
    private final Function<Instant, HttpTransport> transport;

    private SkillHarness(ConnectionType type, TestConnection connection, Duration timeout, boolean dryRun,
                         Function<Instant, HttpTransport> transport) {
        this.type = type;
        this.connection = connection;
        this.timeout = timeout;
        this.dryRun = dryRun;
        this.transport = transport;
    }

    /** A harness for skills of {@code type} on {@code connection}, 10 seconds each, over a real HTTP transport. */
    public static SkillHarness of(ConnectionType type, TestConnection connection) {
        return new SkillHarness(type, connection, Duration.ofSeconds(10), false, null);
    }

    public SkillHarness timeout(Duration newTimeout) {
        return new SkillHarness(type, connection, newTimeout, dryRun, transport);
    }

    public SkillHarness dryRun() {
        return new SkillHarness(type, connection, timeout, true, transport);
    }

    public SkillHarness withConnection(TestConnection newConnection) {
        return new SkillHarness(type, newConnection, timeout, dryRun, transport);
    }

    /** Sends through {@code double} instead of HTTP (the credential is then the test's business). */
    public SkillHarness withTransport(HttpTransport testDouble) {
        return new SkillHarness(type, connection, timeout, dryRun, deadline -> testDouble);
    }

    public TestConnection connection() {
        return connection;
    }

    /**
     * A context as the harness hands a skill (its transport real, its deadline {@link #timeout} from now), for testing
     * a plugin's own helpers (its API client, say) without a skill around them.
     */
    public SkillContext context() {
        Instant deadline = Instant.now().plus(timeout);
        return new SkillContext(UUID.randomUUID().toString(), connection.info(),
                transport == null ? http(deadline) : transport.apply(deadline), dryRun, deadline,
                LoggerFactory.getLogger("quiver.skill.test"));
    }

    /**
     * Runs {@code skill} on {@code input} through every stage and reports what the runner would. Never throws for
     * what the runner would report as an error.
     */
    public Outcome execute(Skill skill, JsonNode input) {
        SkillDescriptor descriptor = skill.descriptor();
        PermissionVocabulary vocabulary = PermissionVocabulary.of(type);
        Schema inputSchema = Schemas.compile(descriptor.inputSchema());
        List<String> violations = Schemas.messages(inputSchema, input);
        if (!violations.isEmpty()) {
            return failure("INVALID_INPUT", "the input breaks the skill's input schema: " + violations, null, 0);
        }
        PermissionGate.Decision decision;
        try {
            List<RequiredPermission> needs = skill.requiredPermissions(input, connection.info());
            for (RequiredPermission need : needs) {
                if (!descriptor.permissions().contains(need.rule())) {
                    return failure("PLUGIN_FAULT", "asked for a permission rule it does not declare: "
                            + need.rule().anyOf(), null, 0);
                }
            }
            decision = PermissionGate.check(ResourceBinder.bind(needs, input, connection.holder(), vocabulary),
                    connection.holder(), type, vocabulary);
        } catch (SkillException e) {
            return failure(e.code().name(), e.getMessage(), e, 0);
        } catch (ResourceBinder.NoResource e) {
            return new Outcome(null, "INVALID_INPUT", e.getMessage(), e.remediation(), List.of(), List.of(), 0,
                    List.of(), null);
        }
        if (!decision.allowed()) {
            return new Outcome(null, "PERMISSION_DENIED", "connection '" + connection.id() + "' may not run "
                    + descriptor.id() + "; nothing was sent",
                    PermissionGate.remediation(connection.holder(), type, vocabulary, decision.missing()),
                    decision.missing(), decision.warnings(), 0, List.of(), null);
        }

        Instant deadline = Instant.now().plus(timeout);
        Counting counting = new Counting(transport == null ? http(deadline) : transport.apply(deadline));
        SkillContext context = new SkillContext(UUID.randomUUID().toString(), connection.info(), counting, dryRun,
                deadline, LoggerFactory.getLogger("quiver.skill." + descriptor.id()), decision.optional());
        Future<JsonNode> running = EXECUTOR.submit(() -> skill.execute(input, context));
        JsonNode output;
        try {
            output = running.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return failure("TIMEOUT", "did not finish within " + timeout, null, counting.sent.get(), decision,
                    counting.ids());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            return failure("TIMEOUT", "interrupted", e, counting.sent.get(), decision, counting.ids());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SkillException skillFailure) {
                return new Outcome(null, skillFailure.code().name(), skillFailure.getMessage(),
                        skillFailure.remediation(), List.of(), decision.warnings(), counting.sent.get(),
                        counting.ids(), skillFailure);
            }
            return failure("PLUGIN_FAULT", "threw " + cause, cause, counting.sent.get(), decision, counting.ids());
        }
        List<String> broken = output == null ? List.of("the output is null")
                : Schemas.messages(Schemas.compile(descriptor.outputSchema()), output);
        if (!broken.isEmpty()) {
            return failure("PLUGIN_FAULT", "the output breaks the output schema: " + broken, null,
                    counting.sent.get(), decision, counting.ids());
        }
        return new Outcome(output, null, null, null, List.of(), decision.warnings(), counting.sent.get(),
                counting.ids(), null);
    }

    /** {@link #execute} on JSON text. */
    public Outcome execute(Skill skill, String input) {
        return execute(skill, parse(input));
    }

    /**
     * Runs {@code skill} as {@link #execute} does and returns its output; a typed failure of the skill is rethrown
     * as the skill threw it, and any other failure (an input or output breaking its schema, a refusal by the gate,
     * a timeout) fails the test with the outcome's message.
     */
    public JsonNode run(Skill skill, String input) throws SkillException {
        Outcome outcome = execute(skill, parse(input));
        if (outcome.cause() instanceof SkillException e) {
            throw e;
        }
        if (!outcome.succeeded()) {
            throw new AssertionError(outcome.code() + ": " + outcome.message(), outcome.cause());
        }
        return outcome.output();
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private HttpTransport http(Instant deadline) {
        AuthMethod method = type.authMethods().stream().filter(m -> m.name().equals(connection.authMethod()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("auth method " + connection.authMethod()
                        + " is not one of " + type.id() + "'s"));
        String base = Optional.ofNullable(connection.baseUrl()).orElse(type.defaultBaseUrl());
        return new TestTransport(base, method, connection.secrets(), type.requestIdHeader(), deadline);
    }

    private static Outcome failure(String code, String message, Throwable cause, int sent) {
        return new Outcome(null, code, message, null, List.of(), List.of(), sent, List.of(), cause);
    }

    private static Outcome failure(String code, String message, Throwable cause, int sent,
                                   PermissionGate.Decision decision, List<String> ids) {
        return new Outcome(null, code, message, null, List.of(), decision.warnings(), sent, ids, cause);
    }

    /** Counts what reaches the transport, whichever it is. */
    private static final class Counting implements HttpTransport {
        private final HttpTransport delegate;
        private final AtomicInteger sent = new AtomicInteger();

        Counting(HttpTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpResponse send(HttpRequest request) throws IOException {
            sent.incrementAndGet();
            return delegate.send(request);
        }

        List<String> ids() {
            return delegate instanceof TestTransport t ? t.requestIds() : List.of();
        }
    }
}

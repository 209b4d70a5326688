package dev.quiver.api;

import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one execution of a skill may use, handed over by the runner.
 *
 * @param executionId the id the runner records this execution under
 * @param connection  the connection's non-secret view
 * @param http        a transport bound to the connection's base URL and credential
 * @param dryRun      when true a write skill sends no write and describes what it would do
 * @param deadline    when the execution must have finished; the runner interrupts it then
 * @param logger      a logger for this execution; the runner routes it away from the caller's output
 * @param grants      the gate's verdict on each {@linkplain PermissionRule#optional() optional} rule the skill bound
 *                    for this input (see {@link #grant(PermissionRule)})
 * @since 1.0
 */
public record SkillContext(
        String executionId,
        ConnectionInfo connection,
        HttpTransport http,
        boolean dryRun,
        Instant deadline,
        Logger logger,
        Map<PermissionRule, PermissionGrant> grants) {

    public SkillContext {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(logger, "logger");
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    /** A context without optional rules judged: every {@link #grant} is {@link PermissionGrant#UNKNOWN}. */
    public SkillContext(String executionId, ConnectionInfo connection, HttpTransport http, boolean dryRun,
                        Instant deadline, Logger logger) {
        this(executionId, connection, http, dryRun, deadline, logger, Map.of());
    }

    /**
     * Whether the connection holds the optional {@code rule}: the gate's verdict, or {@link PermissionGrant#UNKNOWN}
     * when the rule was not bound for this input (or is not optional). A rule bound to several resources is granted
     * only when it is held on all of them.
     */
    public PermissionGrant grant(PermissionRule rule) {
        return grants.getOrDefault(rule, PermissionGrant.UNKNOWN);
    }

    /** The time left before {@link #deadline()}, never negative. */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}

package dev.quiver.runner.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects waiting for their callback, by {@code state}. A state is taken once (a second callback with it finds
 * nothing) and lives {@link #TTL}. In memory: a restart forgets them, and the user clicks Connect again.
 */
final class PendingConnects {

    static final Duration TTL = Duration.ofMinutes(10);

    /**
     * @param settings the connection's fields other than {@code auth} and {@code permissions} ({@code id},
     *                 {@code type}, settings, {@code base_url})
     * @param callerId the API key that started the connect
     */
    record Pending(String connectionId, String type, ObjectNode settings, List<String> scopes, List<String> skills,
                   Pkce pkce, String redirectUri, String callerId, Instant expiresAt) {
        @Override
        public String toString() {
            return "Pending[" + connectionId + ", " + type + ", " + scopes + "]";  // never the verifier
        }
    }

    private final Map<String, Pending> byState = new ConcurrentHashMap<>();
    private final Clock clock;

    PendingConnects(Clock clock) {
        this.clock = clock;
    }

    Instant expiry() {
        return clock.instant().plus(TTL);
    }

    void put(String state, Pending pending) {
        byState.values().removeIf(p -> !clock.instant().isBefore(p.expiresAt()));  // keep the map small
        byState.put(state, pending);
    }

    /** The pending connect of {@code state}, removed; {@code null} when unknown, used or expired. */
    Pending take(String state) {
        Pending pending = state == null ? null : byState.remove(state);
        return pending == null || !clock.instant().isBefore(pending.expiresAt()) ? null : pending;
    }
}

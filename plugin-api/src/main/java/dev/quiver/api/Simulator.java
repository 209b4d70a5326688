package dev.quiver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pf4j.ExtensionPoint;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A simulator of a vendor's API that a plugin brings, so that its skills can be tried without credentials at the
 * vendor: {@code sandbox [PLUGIN]} starts it and prints its connection; {@code serve --sandbox} starts it and stores
 * its connection. It listens on the loopback interface only; its credential opens nothing but the simulator.
 *
 * @since 1.0
 */
public interface Simulator extends ExtensionPoint {

    /** The {@link ConnectionType#id()} of the connection it prints. */
    String connectionType();

    /**
     * Starts the simulator and returns once it accepts requests.
     *
     * @throws IOException when it cannot listen (the port is taken, say)
     * @throws IllegalArgumentException when an option is unknown or malformed; the message names it
     */
    Running start(Options options) throws IOException;

    /**
     * How to start.
     *
     * @param port    the port on 127.0.0.1; 0 for any free one
     * @param options simulator-specific options ({@code "rate_limit": "1200"}), by name
     */
    record Options(int port, Map<String, String> options) {
        public Options {
            options = Map.copyOf(options);
        }
    }

    /**
     * A public OAuth client (PKCE, no secret) registered with a simulator's authorization server.
     *
     * @param baseUrl  the authorization server's base URL, to use in place of {@link OAuthProfile#baseUrl()}
     * @param clientId the client's id
     */
    record OAuthClient(String baseUrl, String clientId) {
        public OAuthClient {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /** A started simulator. */
    interface Running extends AutoCloseable {

        /**
         * A ready connection for it, of {@link #connectionType()}: {@code id}, {@code type}, {@code auth},
         * {@code base_url} and whatever settings the type needs. A new copy on each call.
         */
        ObjectNode connection();

        /** One line for a human: where it serves and what it holds. */
        String describe();

        /**
         * The public OAuth client its authorization server has registered, when it plays one: {@code serve
         * --sandbox} connects by OAuth through it when the deployment configures no client of its own. Empty by
         * default.
         */
        default Optional<OAuthClient> oauthClient() {
            return Optional.empty();
        }

        /** Stops it; idempotent. */
        @Override
        void close();
    }

    /** The connection's id a simulator should use unless asked otherwise. */
    static String defaultConnectionId(String connectionType) {
        return Objects.requireNonNull(connectionType) + "-sandbox";
    }
}

package dev.quiver.runner.transport;

import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.failure.Failure.FailureException;

/**
 * Gets a newer credential for a connection whose credential the vendor just refused (a 401): an OAuth connection's
 * refresh. The transport knows nothing of OAuth; the runtime supplies this.
 */
@FunctionalInterface
public interface CredentialRenewal {

    /** Renews nothing: every 401 is final. */
    CredentialRenewal NONE = rejected -> null;

    /**
     * @param rejected the connection as the refused request used it
     * @return the connection with a credential other than {@code rejected}'s, or {@code null} when there is none
     * @throws FailureException when the connection cannot be renewed and needs a person (a revoked grant)
     */
    Connection renew(Connection rejected) throws FailureException;
}

package dev.quiver.runner.connection;

import dev.quiver.runner.pipeline.Failure.FailureException;

/**
 * Where the pipeline finds a connection by the reference a caller gave: a stored connection's id, or on the
 * command line also a file path. A remote caller never names a file: that would let it use, or probe for, any
 * connection file on the host.
 */
@FunctionalInterface
public interface ConnectionSource {

    /**
     * The connection {@code reference} names, secrets resolved.
     *
     * @param mayReadFiles whether {@code reference} may be the path of a connection file (the operator's CLI)
     * @throws FailureException {@code UNKNOWN_CONNECTION} when there is none or it cannot be used
     */
    Connection resolve(String reference, boolean mayReadFiles) throws FailureException;
}

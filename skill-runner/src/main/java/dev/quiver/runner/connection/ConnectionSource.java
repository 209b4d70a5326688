package dev.quiver.runner.connection;

import dev.quiver.runner.access.Caller;
import dev.quiver.runner.failure.Failure.FailureException;

/**
 * Where the pipeline finds a connection by the reference a caller gave: a stored connection's id, or on the
 * command line also a file path. A remote caller never names a file: that would let it use, or probe for, any
 * connection file on the host; and a caller limited to some connections is told of no other, not even that it
 * exists.
 */
@FunctionalInterface
public interface ConnectionSource {

    /**
     * The connection {@code reference} names, secrets resolved.
     *
     * @param caller who asks: only the operator (the CLI) may name a file, and a key's scope bounds what it may name
     * @throws FailureException {@code UNKNOWN_CONNECTION} when there is none, it is outside the caller's scope, or
     *                          it cannot be used
     */
    Connection resolve(String reference, Caller caller) throws FailureException;
}

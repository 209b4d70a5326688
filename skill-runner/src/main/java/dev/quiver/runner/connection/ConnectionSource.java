package dev.quiver.runner.connection;

import dev.quiver.runner.pipeline.Failure.FailureException;

/** Where the pipeline finds a connection by the reference a caller gave (an id, or a file path on the CLI). */
@FunctionalInterface
public interface ConnectionSource {

    /**
     * The connection {@code reference} names, secrets resolved.
     *
     * @throws FailureException {@code UNKNOWN_CONNECTION} when there is none or it cannot be used
     */
    Connection resolve(String reference) throws FailureException;
}

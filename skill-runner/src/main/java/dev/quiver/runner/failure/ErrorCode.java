package dev.quiver.runner.failure;

/**
 * The error codes of Quiver's contract: the ones a plugin may raise ({@link dev.quiver.api.ErrorCode}) and the ones
 * only the runner decides (an unknown skill or connection).
 */
public enum ErrorCode {
    INVALID_INPUT,
    PERMISSION_DENIED,
    AUTHENTICATION_FAILED,
    NOT_FOUND,
    RATE_LIMITED,
    UPSTREAM_ERROR,
    PLUGIN_FAULT,
    TIMEOUT,
    /** No installed skill has that id. */
    UNKNOWN_SKILL,
    /** No connection has that id, or none the caller may use. */
    UNKNOWN_CONNECTION,
    /** The connection (a file, a body, or one stored earlier) breaks the connection rules: the fields it names. */
    INVALID_CONNECTION,
    /** A secret reference ({@code ${env:NAME}}, {@code ${file:PATH}}) cannot be read: unset, empty or unreadable. */
    SECRET_UNAVAILABLE,
    /** The connection store is sealed under another master key (or the key is unusable): nothing opens. */
    STORE_LOCKED;

    /** The contract's code for a code a plugin raised. */
    public static ErrorCode of(dev.quiver.api.ErrorCode raised) {
        return valueOf(raised.name());
    }
}

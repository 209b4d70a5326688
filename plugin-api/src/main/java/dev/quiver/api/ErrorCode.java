package dev.quiver.api;

/**
 * The kinds of failure a skill may report with a {@link SkillException}. Each is one of the error codes of Quiver's
 * contract; the runner adds codes of its own (an unknown skill or connection) that a plugin never raises.
 *
 * @since 1.0
 */
public enum ErrorCode {
    /** The input names something impossible (beyond what the input schema already refused). */
    INVALID_INPUT,
    /** The vendor refused the call for a permission the credential lacks. */
    PERMISSION_DENIED,
    /** The credential is invalid, expired or revoked. */
    AUTHENTICATION_FAILED,
    /** The vendor has no such object. */
    NOT_FOUND,
    /** The vendor's rate limit held after the retries the deadline allowed. */
    RATE_LIMITED,
    /** The vendor refused or failed otherwise (conflict, 5xx, an answer that is not its API). */
    UPSTREAM_ERROR,
    /** The plugin found itself in a state it cannot handle; the runner reports any other exception the same way. */
    PLUGIN_FAULT,
    /** The work could not finish before the execution's deadline. */
    TIMEOUT
}

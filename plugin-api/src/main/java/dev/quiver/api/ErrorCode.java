package dev.quiver.api;

/** The kinds of failure a caller sees, one-to-one with the error codes of Quiver's contract. */
public enum ErrorCode {
    /** The input breaks the skill's input schema or names something impossible. */
    INVALID_INPUT,
    /** The connection lacks a permission the call needs (decided before a request when the runner can). */
    PERMISSION_DENIED,
    /** The credential is invalid, expired or revoked. */
    AUTHENTICATION_FAILED,
    /** The vendor has no such object. */
    NOT_FOUND,
    /** The vendor's rate limit held after the retries the deadline allowed. */
    RATE_LIMITED,
    /** The vendor refused or failed otherwise (conflict, 5xx, an answer that is not its API). */
    UPSTREAM_ERROR,
    /** The plugin failed: an exception, or output breaking its schema. */
    PLUGIN_FAULT,
    /** The execution did not finish before its deadline. */
    TIMEOUT,
    /** No installed skill has that id. */
    UNKNOWN_SKILL,
    /** No connection has that id, or the connection cannot be used. */
    UNKNOWN_CONNECTION
}

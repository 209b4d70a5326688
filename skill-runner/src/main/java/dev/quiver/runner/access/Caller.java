package dev.quiver.runner.access;

/**
 * Who asked for an execution: an API key of the HTTP service, or the operator at the command line, who holds the
 * home folder and so every role.
 *
 * @param id   the API key's id, or {@code "cli"}
 * @param role what the caller may do
 */
public record Caller(String id, Role role) {

    /** The operator at the command line. */
    public static final Caller OPERATOR = new Caller("cli", Role.ADMIN);
}

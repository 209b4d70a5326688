package dev.quiver.runner.access;

/**
 * Who asked for an execution: an API key of the HTTP service, or the operator at the command line, who holds the
 * home folder and so every role and every connection.
 *
 * @param id    the API key's id, or {@code "cli"}
 * @param role  what the caller may do
 * @param scope which connections the caller may use and see the records of
 */
public record Caller(String id, Role role, ConnectionScope scope) {

    /** The operator at the command line. */
    public static final Caller OPERATOR = new Caller("cli", Role.ADMIN, ConnectionScope.all());

    /** A caller who may use every connection. */
    public Caller(String id, Role role) {
        this(id, role, ConnectionScope.all());
    }
}

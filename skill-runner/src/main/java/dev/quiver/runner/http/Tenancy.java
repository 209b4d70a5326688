package dev.quiver.runner.http;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.failure.Failure;
import io.micronaut.http.HttpRequest;

import java.util.List;
import java.util.Map;

/**
 * What a key limited to some connections may not do beyond them: manage keys (it could mint itself a key for every
 * connection) or plugins (a plugin runs for every customer, with the service's rights), declared on routes with
 * {@link Unrestricted}; and see or touch a connection outside its scope ({@link InScope}).
 */
final class Tenancy {

    private Tenancy() {
    }

    /**
     * The refusal of a route declared {@link Unrestricted} to a key limited to some connections; the access filter
     * answers it before the body is read.
     */
    static ApiException limitedKey(Caller caller, String what) {
        return new ApiException(403, new Failure(ErrorCode.PERMISSION_DENIED, "API key " + caller.id()
                + " is limited to some connections and may not " + what,
                List.of(Map.of("connections", caller.scope().patterns().orElseThrow())),
                "Use an admin key that is not limited to connections.", List.of()));
    }

    /**
     * Refuses, as if it did not exist, a connection outside the caller's scope. A route naming the connection in its
     * path declares {@link InScope} instead, which the access filter checks before the body is read.
     */
    static void requireInScope(HttpRequest<?> request, String connectionId) {
        if (!AccessFilter.caller(request).scope().allows(connectionId)) {
            throw unknownConnection(connectionId);
        }
    }

    static ApiException unknownConnection(String id) {
        return new ApiException(Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection has the id '" + id
                + "'", "GET /api/v1/connections lists them."));
    }
}

package dev.quiver.runner.http;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.ApiKey;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.failure.Failure;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.quiver.runner.access.ApiKeyStore;

/**
 * The door: every route needs {@code Authorization: Bearer <api key>} but the {@link Public} one ({@code GET
 * /health}), and takes the least role it declares with {@link Allowed}. The route is the one Micronaut matched, so
 * however a path is spelled, the check is the controller's own; a route that declares no role is refused (fail
 * closed), and a path no route matches gets 404 from Micronaut without a controller. Running a write skill takes more
 * (responder), which the pipeline decides because only it knows the skill. A key limited to some connections is
 * refused a route that is {@link Unrestricted} (403) and a connection outside its scope named in the path
 * ({@link InScope}: 404, as a missing one). All of this is decided here, before the body is read or bound, so a caller
 * who may not call a route learns nothing from how its body would have been judged (403, not 400). Also refuses a
 * body whose declared length is over the route's limit before it is read ({@link BodyGuard} counts the bytes of every
 * body as they arrive), and new requests while the service drains for shutdown.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AccessFilter {

    private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);

    static final String CALLER = "quiver.caller";

    private final ApiKeyStore keys;
    private final Draining draining;

    AccessFilter(ApiKeyStore keys, Draining draining) {
        this.keys = keys;
        this.draining = draining;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> admit(HttpRequest<?> request) {
        Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
        RouteAccess access = route.map(RouteAccess::of).orElse(RouteAccess.NO_ROUTE);
        if (access.open()) {
            return null;
        }
        if (draining.active()) {
            return ApiErrors.of(new ApiException(503, Failure.of(ErrorCode.UPSTREAM_ERROR,
                    "the service is shutting down", "Retry on another instance or after the restart.")));
        }
        Optional<ApiKey> key = bearer(request).flatMap(keys::authenticate);
        if (key.isEmpty()) {
            HttpResponse<?> refused = ApiErrors.of(new ApiException(401, Failure.of(ErrorCode.AUTHENTICATION_FAILED,
                    request.getHeaders().contains("Authorization") ? "the API key is not valid (unknown or revoked)"
                            : "this route needs an API key",
                    "Send 'Authorization: Bearer <api key>'; an admin creates keys with 'keys create --role ROLE'.")));
            return refused.toMutableResponse().header("WWW-Authenticate", "Bearer");
        }
        Caller caller = key.get().caller();
        if (route.isEmpty()) {
            return null; // no controller runs: Micronaut answers 404 (or 405 for a known path)
        }
        if (access.role().isEmpty()) {
            log.error("{} {} matched {}, which declares no role (@Allowed): refused", request.getMethod(),
                    request.getPath(), route.get());
            return ApiErrors.of(new ApiException(403, Failure.of(ErrorCode.PERMISSION_DENIED, request.getMethod()
                    + " " + request.getPath() + " declares no role, so no key may call it",
                    "This is a bug of the service; report it.")));
        }
        Role needed = access.role().get();
        if (!caller.role().includes(needed)) {
            return ApiErrors.of(new ApiException(403, new Failure(ErrorCode.PERMISSION_DENIED, "API key "
                    + caller.id() + " has role " + caller.role().jsonName() + "; " + request.getMethod() + " "
                    + request.getPath() + " needs " + needed.orHigher(),
                    List.of(Map.of("role", caller.role().jsonName(), "required_role", needed.jsonName())),
                    "Use a key with role " + needed.orHigher() + ".", List.of())));
        }
        if (access.unrestricted().isPresent() && !caller.scope().unrestricted()) {
            return ApiErrors.of(Tenancy.limitedKey(caller, access.unrestricted().get()));
        }
        if (access.inScope().isPresent()) {
            Optional<String> connection = pathVariable(route.get(), access.inScope().get());
            if (connection.isEmpty() || !caller.scope().allows(connection.get())) {
                return ApiErrors.of(Tenancy.unknownConnection(connection.orElse("")));
            }
        }
        if (request.getContentLength() > access.maxBodyBytes()) {
            return ApiErrors.of(BodyGuard.tooLarge(request.getContentLength() + " bytes", access.maxBodyBytes()));
        }
        request.setAttribute(CALLER, caller);
        return null;
    }

    /** A path variable of the matched route, decoded as the controller's {@code @PathVariable} gets it. */
    private static Optional<String> pathVariable(RouteMatch<?> route, String name) {
        return route instanceof UriRouteMatch<?, ?> uri
                ? Optional.ofNullable(uri.getVariableValues().get(name)).map(Object::toString) : Optional.empty();
    }

    private static Optional<String> bearer(HttpRequest<?> request) {
        return request.getHeaders().getAuthorization()
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip());
    }

    /** The caller the filter let in. */
    static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(CALLER, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no caller: the access filter did not run"));
    }
}

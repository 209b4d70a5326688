package dev.quiver.runner.http;

import dev.quiver.api.ErrorCode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.access.ApiKey;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.pipeline.Failure;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The door: every route but {@code GET /health} needs {@code Authorization: Bearer <api key>}, and the route
 * decides the least role it takes. Running a write skill takes more (responder), which the pipeline decides
 * because only it knows the skill. Also refuses bodies over the route's size limit before they are read, and new
 * requests while the service drains for shutdown.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AccessFilter {

    static final String CALLER = "quiver.caller";
    private static final java.util.regex.Pattern EXECUTIONS = java.util.regex.Pattern.compile(
            "/api/v1/skills/[^/]+/executions");
    static final long JSON_LIMIT = 1L << 20;
    static final long UPLOAD_LIMIT = 64L << 20;
    static final long BATCH_LIMIT = 16L << 20;

    private final QuiverRuntime runtime;
    private final Draining draining;

    AccessFilter(QuiverRuntime runtime, Draining draining) {
        this.runtime = runtime;
        this.draining = draining;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> admit(HttpRequest<?> request) {
        String path = request.getPath();
        if (request.getMethod() == HttpMethod.GET && path.equals("/health")) {
            return null;
        }
        if (draining.active()) {
            return ApiErrors.of(new ApiException(503, Failure.of(ErrorCode.UPSTREAM_ERROR,
                    "the service is shutting down", "Retry on another instance or after the restart.")));
        }
        Optional<ApiKey> key = bearer(request).flatMap(runtime.keys()::authenticate);
        if (key.isEmpty()) {
            HttpResponse<?> refused = ApiErrors.of(new ApiException(401, Failure.of(ErrorCode.AUTHENTICATION_FAILED,
                    request.getHeaders().contains("Authorization") ? "the API key is not valid (unknown or revoked)"
                            : "this route needs an API key",
                    "Send 'Authorization: Bearer <api key>'; an admin creates keys with 'keys create --role ROLE'.")));
            return refused.toMutableResponse().header("WWW-Authenticate", "Bearer");
        }
        Role needed = requiredRole(request.getMethod(), path);
        Caller caller = key.get().caller();
        if (!caller.role().includes(needed)) {
            return ApiErrors.of(new ApiException(403, new Failure(ErrorCode.PERMISSION_DENIED, "API key "
                    + caller.id() + " has role " + caller.role().jsonName() + "; " + request.getMethod() + " "
                    + path + " needs " + needed.jsonName() + " or higher",
                    List.of(Map.of("role", caller.role().jsonName(), "required_role", needed.jsonName())),
                    "Use a key with role " + needed.jsonName() + " or higher.", List.of())));
        }
        long limit = bodyLimit(path);
        if (request.getContentLength() > limit) {
            return ApiErrors.of(new ApiException(413, Failure.of(ErrorCode.INVALID_INPUT, "the request body has "
                    + request.getContentLength() + " bytes; this route takes at most " + limit, null)));
        }
        request.setAttribute(CALLER, caller);
        return null;
    }

    /** The least role a route takes. */
    static Role requiredRole(HttpMethod method, String path) {
        if (path.startsWith("/api/v1/connections") || path.startsWith("/api/v1/plugins")
                || path.startsWith("/api/v1/keys")) {
            return Role.ADMIN;
        }
        if (method == HttpMethod.POST && (EXECUTIONS.matcher(path).matches() || path.equals("/api/v1/batch"))) {
            return Role.ANALYST;
        }
        return Role.VIEWER;
    }

    private static long bodyLimit(String path) {
        if (path.startsWith("/api/v1/plugins")) {
            return UPLOAD_LIMIT;
        }
        return path.equals("/api/v1/batch") ? BATCH_LIMIT : JSON_LIMIT;
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

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.check.ConnectionCheck;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.store.ConnectionStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The connection store. Secrets go in and never come out: every answer carries a fingerprint instead. */
@Controller("/api/v1/connections")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ConnectionsController {

    private final QuiverRuntime runtime;

    ConnectionsController(QuiverRuntime runtime) {
        this.runtime = runtime;
    }

    @Get
    @Allowed(Role.ADMIN)
    ObjectNode list(HttpRequest<?> request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode connections = body.putArray("connections");
        ConnectionScope scope = AccessFilter.caller(request).scope();
        runtime.connections().list().stream().filter(c -> scope.allows(c.path("id").asText(null)))
                .forEach(connections::add);
        return body;
    }

    @Post
    @Allowed(Role.ADMIN)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<JsonNode> add(@Nullable @Body byte[] body, HttpRequest<?> request) {
        JsonNode connection = StrictJsonBody.object(body, "a connection");
        ConnectionScope scope = AccessFilter.caller(request).scope();
        if (!scope.allows(connection.path("id").asText(null))) {
            throw new ApiException(403, Failure.of(ErrorCode.PERMISSION_DENIED, "API key "
                    + AccessFilter.caller(request).id() + " may only add connections whose id matches "
                    + scope.patterns().orElseThrow(), "Give the connection an id in the key's scope."));
        }
        try {
            return HttpResponse.created(runtime.connections().addRemote(connection, "the request body"));
        } catch (FailureException e) {
            Failure failure = e.failure();
            if (failure.code() == ErrorCode.STORE_LOCKED) {
                throw new ApiException(409, failure);
            }
            boolean duplicate = ConnectionStore.isConflict(failure);
            // The reader says UNKNOWN_CONNECTION for a file that is no connection; here the body is the input.
            throw new ApiException(duplicate ? 409 : 400, new Failure(ErrorCode.INVALID_INPUT, failure.message(),
                    failure.details(), failure.remediation(), failure.missing(), failure.detailsTotal()));
        }
    }

    @Get("/{id}")
    @Allowed(Role.ADMIN)
    JsonNode find(@PathVariable String id, HttpRequest<?> request) {
        Tenancy.requireInScope(request, id);
        return runtime.connections().summary(id).orElseThrow(() -> unknown(id));
    }

    @Delete("/{id}")
    @Allowed(Role.ADMIN)
    ObjectNode remove(@PathVariable String id, HttpRequest<?> request) {
        Tenancy.requireInScope(request, id);
        // An OAuth connection's grant is revoked at the vendor first; the secret is deleted even when that fails.
        var removed = runtime.oauth().remove(id);
        if (!removed.removed()) {
            throw unknown(id);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("removed", id);
        return removed.warning() == null ? answer : answer.put("warning", removed.warning());
    }

    @Post("/{id}/test")
    @Allowed(Role.ADMIN)
    ObjectNode test(@PathVariable String id, HttpRequest<?> request) {
        Connection connection;
        try {
            connection = runtime.connection(id, AccessFilter.caller(request));
        } catch (FailureException e) {
            throw new ApiException(e.failure());
        }
        return ConnectionCheck.run(runtime.pipeline(), runtime.catalog(), connection, AccessFilter.caller(request),
                "http");
    }

    private static ApiException unknown(String id) {
        return Tenancy.unknownConnection(id);
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ConnectionCheck;
import dev.quiver.runner.pipeline.Failure;
import dev.quiver.runner.pipeline.Failure.FailureException;
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
    ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode connections = body.putArray("connections");
        runtime.connections().list().forEach(connections::add);
        return body;
    }

    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<JsonNode> add(@Nullable @Body byte[] body) {
        JsonNode connection = Bodies.object(body, "a connection");
        try {
            return HttpResponse.created(runtime.connections().addRemote(connection, "the request body"));
        } catch (FailureException e) {
            Failure failure = e.failure();
            boolean duplicate = ConnectionStore.isConflict(failure);
            // The reader says UNKNOWN_CONNECTION for a file that is no connection; here the body is the input.
            throw new ApiException(duplicate ? 409 : 400, new Failure(ErrorCode.INVALID_INPUT, failure.message(),
                    failure.details(), failure.remediation(), failure.missing(), failure.detailsTotal()));
        }
    }

    @Get("/{id}")
    JsonNode find(@PathVariable String id) {
        return runtime.connections().summary(id).orElseThrow(() -> unknown(id));
    }

    @Delete("/{id}")
    ObjectNode remove(@PathVariable String id) {
        if (!runtime.connections().remove(id)) {
            throw unknown(id);
        }
        return Json.MAPPER.createObjectNode().put("removed", id);
    }

    @Post("/{id}/test")
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
        return new ApiException(Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection has the id '" + id
                + "'", "GET /api/v1/connections lists them."));
    }
}

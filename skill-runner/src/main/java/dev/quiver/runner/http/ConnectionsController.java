package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.check.ConnectionCheck;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.ConnectionSource;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.oauth.OAuthFlow;
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
@ApiDocs.Keyed
@Controller("/api/v1/connections")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ConnectionsController {

    private final ConnectionStore connections;
    private final ConnectionSource resolver;
    private final ExecutionPipeline pipeline;
    private final LiveCatalog catalog;
    private final OAuthFlow oauth;

    ConnectionsController(ConnectionStore connections, ConnectionSource resolver, ExecutionPipeline pipeline,
                          LiveCatalog catalog, OAuthFlow oauth) {
        this.oauth = oauth;
        this.connections = connections;
        this.resolver = resolver;
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    @Get
    @Allowed(Role.ADMIN)
    @ApiResponse(responseCode = "200", description = "The stored connections in the key's scope, without secrets",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ConnectionList.class)))
    ObjectNode list(HttpRequest<?> request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode listed = body.putArray("connections");
        ConnectionScope scope = AccessFilter.caller(request).scope();
        connections.list().stream().filter(c -> scope.allows(c.path("id").asText(null))).forEach(listed::add);
        return body;
    }

    /** Body: a connection JSON, whose id must be in the key's scope. Answers the stored connection, without secrets. */
    @Post
    @Allowed(Role.ADMIN)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @ApiResponse(responseCode = "201", description = "Stored; the connection without its secrets",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.StoredConnection.class)))
    @ApiDocs.Refused
    @ApiDocs.WithBody
    @ApiDocs.Conflicting
    HttpResponse<JsonNode> add(@Nullable @Body ConnectionBody body, HttpRequest<?> request) {
        if (body == null) {
            throw ApiException.badRequest("the body must be a JSON object", "Send a connection as a JSON object.");
        }
        // The one authorization that needs the body: the id is in it.
        Caller caller = AccessFilter.caller(request);
        if (!caller.scope().allows(body.id())) {
            throw new ApiException(403, Failure.of(ErrorCode.PERMISSION_DENIED, "API key " + caller.id()
                    + " may only add connections whose id matches " + caller.scope().patterns().orElseThrow(),
                    "Give the connection an id in the key's scope."));
        }
        try {
            return HttpResponse.created(connections.addRemote(body.connection(), "the request body"));
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
    @InScope
    @ApiResponse(responseCode = "200", description = "The connection without its secrets",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.StoredConnection.class)))
    @ApiDocs.Named
    JsonNode find(@PathVariable String id) {
        return connections.summary(id).orElseThrow(() -> Tenancy.unknownConnection(id));
    }

    @Delete("/{id}")
    @Allowed(Role.ADMIN)
    @InScope
    @ApiResponse(responseCode = "200", description = "Removed; an OAuth connection's grant revoked at the vendor"
            + " first (a failed revoke is a warning: the secret is deleted regardless)",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.Removed.class)))
    @ApiDocs.Named
    ObjectNode remove(@PathVariable String id) {
        // An OAuth connection's grant is revoked at the vendor first; the secret is deleted even when that fails.
        var removed = oauth.remove(id);
        if (!removed.removed()) {
            throw Tenancy.unknownConnection(id);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("removed", id);
        if (removed.warning() == null) {
            return answer;
        }
        // the service's operator learns of it too, not only the caller (the warning holds no secret)
        org.slf4j.LoggerFactory.getLogger(ConnectionsController.class).warn("connection '{}' removed, but {}", id,
                removed.warning());
        return answer.put("warning", removed.warning());
    }

    @Post("/{id}/test")
    @Allowed(Role.ADMIN)
    @InScope
    @ApiResponse(responseCode = "200", description = "The connection's test; verified false when the vendor refused it",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ConnectionTest.class)))
    @ApiDocs.Named
    @ApiDocs.Conflicting
    ObjectNode test(@PathVariable String id, HttpRequest<?> request) {
        Caller caller = AccessFilter.caller(request);
        Connection connection;
        try {
            connection = resolver.resolve(id, caller);
        } catch (FailureException e) {
            throw new ApiException(e.failure());
        }
        return ConnectionCheck.run(pipeline, catalog.get(), connection, caller, "http");
    }
}

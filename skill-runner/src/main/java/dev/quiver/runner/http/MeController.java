package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.store.ConnectionStore;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

/** Who the caller's key is, so that a client (the console) offers only what the key may do. */
@ApiDocs.Keyed
@Controller("/api/v1/me")
@ExecuteOn(TaskExecutors.BLOCKING)
final class MeController {

    private final ConnectionStore connections;

    MeController(ConnectionStore connections) {
        this.connections = connections;
    }

    /**
     * Who the calling key is. Answers its {@code id}, {@code role} (viewer, analyst, responder or admin), {@code tenants} (the
     * connection ids and globs it is limited to; {@code ["*"]} for every connection) and {@code connections} (the id
     * and type of each stored connection it may use: no secret, no other field). Any role.
     */
    @Get
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "The calling key: its role, its connection scope and the"
            + " connections it may use",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.Me.class)))
    ObjectNode me(HttpRequest<?> request) {
        Caller caller = AccessFilter.caller(request);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", caller.id());
        body.put("role", caller.role().jsonName());
        ArrayNode tenants = body.putArray("tenants");
        caller.scope().patterns().orElse(List.of("*")).forEach(tenants::add);
        ArrayNode usable = body.putArray("connections");
        connections.list().stream().filter(c -> caller.scope().allows(c.path("id").asText(null)))
                .forEach(c -> usable.addObject().put("id", c.path("id").asText())
                        .put("type", c.path("type").asText()));
        return body;
    }
}

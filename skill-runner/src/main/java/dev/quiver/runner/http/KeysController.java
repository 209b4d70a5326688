package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.KeyExpiry;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import io.micronaut.core.annotation.Nullable;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.quiver.runner.access.ApiKeyStore;

/** API keys, managed over HTTP as {@code keys} does on the host: the key is shown once, at creation. */
@ApiDocs.Keyed
@Controller("/api/v1/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
final class KeysController {


    // A key limited to some connections could mint itself a key for every connection.
    private static final String MANAGE_KEYS = "manage API keys";

    private final ApiKeyStore keys;

    KeysController(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Get
    @Allowed(Role.ADMIN)
    @Unrestricted(MANAGE_KEYS)
    @ApiResponse(responseCode = "200", description = "The keys, without the keys themselves",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.KeyList.class)))
    ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode keys = body.putArray("keys");
        this.keys.keys().forEach(key -> keys.add(ContractJson.key(key)));
        return body;
    }

    /** Body {@code {"role", "connections"?: [id or glob, ...], "expires"?: "30d" | RFC 3339}}. */
    @Post
    @Allowed(Role.ADMIN)
    @Unrestricted(MANAGE_KEYS)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @ApiResponse(responseCode = "201", description = "Created; the key is in this answer only",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.CreatedKey.class)))
    @ApiDocs.Refused
    @ApiDocs.WithBody
    HttpResponse<ObjectNode> create(@Nullable @Body KeyRequest body) {
        if (body == null) {
            throw ApiException.badRequest("the body must be a JSON object", "Send a key request as a JSON object.");
        }
        return HttpResponse.created(ContractJson.createdKey(
                keys.create(body.role(), body.scope(), body.expiresAt())));
    }

    @Delete("/{id}")
    @Allowed(Role.ADMIN)
    @Unrestricted(MANAGE_KEYS)
    @ApiResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.Revoked.class)))
    @ApiDocs.Named
    ObjectNode revoke(@PathVariable String id) {
        if (!keys.revoke(id)) {
            throw new ApiException(Failure.of(ErrorCode.NOT_FOUND, "no unrevoked key has the id '" + id + "'",
                    "GET /api/v1/keys lists the keys."));
        }
        return Json.MAPPER.createObjectNode().put("revoked", id);
    }
}

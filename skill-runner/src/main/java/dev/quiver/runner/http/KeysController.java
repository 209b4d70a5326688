package dev.quiver.runner.http;

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.quiver.runner.access.ApiKeyStore;

/** API keys, managed over HTTP as {@code keys} does on the host: the key is shown once, at creation. */
@Controller("/api/v1/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
final class KeysController {

    private static final Set<String> FIELDS = Set.of("role", "connections", "expires");

    private final ApiKeyStore keys;

    KeysController(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Get
    @Allowed(Role.ADMIN)
    ObjectNode list(HttpRequest<?> request) {
        Tenancy.requireUnrestricted(request, "manage API keys");
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode keys = body.putArray("keys");
        this.keys.keys().forEach(key -> keys.add(ContractJson.key(key)));
        return body;
    }

    /** Body {@code {"role", "connections"?: [id or glob, ...], "expires"?: "30d" | RFC 3339}}. */
    @Post
    @Allowed(Role.ADMIN)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<ObjectNode> create(@Nullable @Body byte[] body, HttpRequest<?> request) {
        Tenancy.requireUnrestricted(request, "manage API keys");
        JsonNode json = StrictJsonBody.object(body, "a key request");
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field(s) " + unknown + "; a key request has role, connections and"
                    + " expires", null);
        }
        Role role = Role.parse(json.path("role").asText("")).orElseThrow(() -> ApiException.badRequest(
                "role must be viewer, analyst, responder or admin", null));
        ConnectionScope scope;
        Instant expiresAt;
        try {
            scope = json.has("connections") ? ConnectionScope.of(strings(json.get("connections")))
                    : ConnectionScope.all();
            expiresAt = json.hasNonNull("expires") ? KeyExpiry.parse(json.get("expires").asText(), Instant.now())
                    : null;
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, Failure.of(ErrorCode.INVALID_INPUT, e.getMessage(),
                    "connections: an array of ids or globs such as [\"acme-*\"]; expires: 30d, 12h or an RFC 3339"
                            + " time."));
        }
        return HttpResponse.created(ContractJson.createdKey(keys.create(role, scope, expiresAt)));
    }

    @Delete("/{id}")
    @Allowed(Role.ADMIN)
    ObjectNode revoke(@PathVariable String id, HttpRequest<?> request) {
        Tenancy.requireUnrestricted(request, "manage API keys");
        if (!keys.revoke(id)) {
            throw new ApiException(Failure.of(ErrorCode.NOT_FOUND, "no unrevoked key has the id '" + id + "'",
                    "GET /api/v1/keys lists the keys."));
        }
        return Json.MAPPER.createObjectNode().put("revoked", id);
    }

    private static List<String> strings(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("connections must be an array of connection ids or globs");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("connections must hold strings only");
            }
            values.add(item.asText());
        }
        return values;
    }
}

package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.records.RecordQuery;
import dev.quiver.runner.records.RecordStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The execution records, newest first, of the connections in the caller's scope. The list leaves each record's
 * output out, to stay small; {@code GET /api/v1/executions/{id}} has it.
 */
@ApiDocs.Keyed
@Controller("/api/v1/executions")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ExecutionsController {

    private static final int DEFAULT_LIMIT = 50;

    private final RecordStore records;

    ExecutionsController(RecordStore records) {
        this.records = records;
    }

    @Get
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "The records of the connections in the key's scope, newest first, without their output",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ExecutionList.class)))
    @ApiDocs.Refused
    ObjectNode list(HttpRequest<?> request, @Nullable @QueryValue String skill, @Nullable @QueryValue String status,
                    @Nullable @QueryValue String connection, @Nullable @QueryValue String caller,
                    @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                    @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        if (status != null && !status.equals("succeeded") && !status.equals("failed")) {
            throw ApiException.badRequest("status must be succeeded or failed", null);
        }
        ConnectionScope scope = AccessFilter.caller(request).scope();
        RecordStore.Page page;
        try {
            page = records.query(new RecordQuery(blankToNull(skill), status, blankToNull(connection),
                    blankToNull(caller), instant("since", since), instant("until", until), scope, limit(limit),
                    blankToNull(cursor)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "Pass the next_cursor of the previous page, unchanged.");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode executions = body.putArray("executions");
        page.records().forEach(r -> executions.add(r.toJson()));
        if (page.next() != null) {
            body.put("next_cursor", page.next());
        }
        return body;
    }

    @Get("/{id}")
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "The record, with its output",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ExecutionRecord.class)))
    @ApiDocs.Named
    ObjectNode find(HttpRequest<?> request, @PathVariable String id) {
        // A record of a connection outside the caller's scope is answered exactly as a missing one.
        return records.find(id, AccessFilter.caller(request).scope()).map(r -> r.toJson())
                .orElseThrow(() -> new ApiException(
                        Failure.of(ErrorCode.NOT_FOUND, "no execution has the id '" + id + "'",
                                "GET /api/v1/executions lists the recorded executions, newest first.")));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= RecordQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw ApiException.badRequest("limit must be a whole number from 1 to " + RecordQuery.MAX_LIMIT, null);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a UTC time such as 2026-11-27T09:00:00Z", null);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

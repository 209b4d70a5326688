package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.pipeline.ErrorCode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.Failure;
import dev.quiver.runner.records.ExecutionLog;
import dev.quiver.runner.records.ExecutionRecord;
import dev.quiver.runner.records.RecordQuery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The execution records, newest first. */
@Controller("/api/v1/executions")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ExecutionsController {

    private static final int DEFAULT_LIMIT = 50;

    private final QuiverRuntime runtime;

    ExecutionsController(QuiverRuntime runtime) {
        this.runtime = runtime;
    }

    @Get
    @Allowed(Role.VIEWER)
    ObjectNode list(@Nullable @QueryValue String skill, @Nullable @QueryValue String status,
                    @Nullable @QueryValue String connection, @Nullable @QueryValue String limit,
                    @Nullable @QueryValue String cursor) {
        if (status != null && !status.equals("succeeded") && !status.equals("failed")) {
            throw ApiException.badRequest("status must be succeeded or failed", null);
        }
        ExecutionLog.Page page = runtime.records().query(new RecordQuery(blankToNull(skill), status,
                blankToNull(connection), limit(limit), cursor(cursor)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode executions = body.putArray("executions");
        page.records().forEach(r -> executions.add(r.toJson()));
        if (page.next() != null) {
            body.put("next_cursor", String.valueOf(page.next()));
        }
        return body;
    }

    @Get("/{id}")
    @Allowed(Role.VIEWER)
    ObjectNode find(@PathVariable String id) {
        return runtime.records().find(id).map(ExecutionRecord::toJson).orElseThrow(() -> new ApiException(
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

    private static Long cursor(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor is not one this service gave out",
                    "Pass the next_cursor of the previous page, unchanged.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The contract's error object with the HTTP status each error code maps to. */
final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * The status of an error code. A bad vendor credential is the connection's fault, not the caller's key: it is a
     * 502 with code AUTHENTICATION_FAILED, so a client never mistakes it for its own key being refused (401).
     */
    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> 400;
            case PERMISSION_DENIED -> 403;
            case UNKNOWN_SKILL, UNKNOWN_CONNECTION, NOT_FOUND -> 404;
            // The request is fine; the connection as stored (or the store) is not: fixed on the host, not by retrying.
            case INVALID_CONNECTION, SECRET_UNAVAILABLE, STORE_LOCKED -> 409;
            case RATE_LIMITED -> 429;
            case AUTHENTICATION_FAILED, UPSTREAM_ERROR -> 502;
            case TIMEOUT -> 504;
            case PLUGIN_FAULT -> 500;
        };
    }

    static MutableHttpResponse<JsonNode> of(ApiException e) {
        return respond(e.status(), e.failure(), e.executionId(), e.requestIds());
    }

    private static MutableHttpResponse<JsonNode> respond(int status, Failure failure, String executionId,
                                                         List<String> requestIds) {
        MutableHttpResponse<JsonNode> response = HttpResponse.<JsonNode>status(HttpStatus.valueOf(status))
                .body(ContractJson.error(failure, executionId, requestIds));
        retryAfter(failure).ifPresent(seconds -> response.header("Retry-After", seconds));
        return response;
    }

    private static Optional<String> retryAfter(Failure failure) {
        if (failure.code() != ErrorCode.RATE_LIMITED) {
            return Optional.empty();
        }
        for (Map<String, Object> detail : failure.details()) {
            Object seconds = detail.get("retry_after_seconds");
            if (seconds instanceof Number n) {
                return Optional.of(String.valueOf((long) Math.ceil(n.doubleValue())));
            }
        }
        return Optional.empty();
    }
}

package dev.quiver.runner.http;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;

import java.util.List;

/** Ends a request with the contract's error object and an HTTP status. */
final class ApiException extends RuntimeException {

    private final transient Failure failure;
    private final int status;
    private final String executionId;
    private final transient List<String> requestIds;

    ApiException(int status, Failure failure) {
        this(status, failure, null, List.of());
    }

    private ApiException(int status, Failure failure, String executionId, List<String> requestIds) {
        super(failure.message(), null, false, false);
        this.failure = failure;
        this.status = status;
        this.executionId = executionId;
        this.requestIds = requestIds;
    }

    /**
     * A failed execution. Thrown rather than returned: Micronaut would hand a returned 404 to the route-not-found
     * handler, which knows nothing of executions.
     */
    static ApiException of(ExecutionResult result) {
        return new ApiException(ApiErrors.status(result.failure().code()), result.failure(), result.executionId(),
                result.requestIds());
    }

    String executionId() {
        return executionId;
    }

    List<String> requestIds() {
        return requestIds;
    }

    ApiException(Failure failure) {
        this(ApiErrors.status(failure.code()), failure);
    }

    static ApiException badRequest(String message, String remediation) {
        return new ApiException(400, Failure.of(ErrorCode.INVALID_INPUT, message, remediation));
    }

    Failure failure() {
        return failure;
    }

    int status() {
        return status;
    }
}

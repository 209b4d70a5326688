package dev.quiver.runner.http;

import dev.quiver.api.ErrorCode;
import dev.quiver.runner.pipeline.Failure;

/** Ends a request with the contract's error object and an HTTP status. */
final class ApiException extends RuntimeException {

    private final transient Failure failure;
    private final int status;

    ApiException(int status, Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
        this.status = status;
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

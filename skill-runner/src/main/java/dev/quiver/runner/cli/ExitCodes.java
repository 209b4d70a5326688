package dev.quiver.runner.cli;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.pipeline.ExecutionResult;

/** The contract's exit codes. */
final class ExitCodes {

    static final int OK = 0;
    static final int USAGE = 2;
    static final int PERMISSION_DENIED = 3;
    static final int AUTHENTICATION_FAILED = 4;
    static final int UPSTREAM = 5;
    static final int PLUGIN_FAULT = 6;
    static final int TIMEOUT = 7;

    private ExitCodes() {
    }

    static int of(ExecutionResult result) {
        if (result.succeeded()) {
            return OK;
        }
        // Exit 3 promises the refusal was decided before any request; a vendor's own 403 is the vendor refusing.
        if (result.failure().code() == ErrorCode.PERMISSION_DENIED) {
            return result.requestsSent() == 0 ? PERMISSION_DENIED : UPSTREAM;
        }
        return of(result.failure().code());
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT, UNKNOWN_SKILL, UNKNOWN_CONNECTION, INVALID_CONNECTION, SECRET_UNAVAILABLE,
                 STORE_LOCKED -> USAGE;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case AUTHENTICATION_FAILED -> AUTHENTICATION_FAILED;
            case NOT_FOUND, RATE_LIMITED, UPSTREAM_ERROR -> UPSTREAM;
            case PLUGIN_FAULT -> PLUGIN_FAULT;
            case TIMEOUT -> TIMEOUT;
        };
    }
}

package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error the service answers is the contract's error object, Micronaut's own ones included. */
@Controller
final class ErrorsController {

    private static final Logger log = LoggerFactory.getLogger(ErrorsController.class);

    @Error(global = true, exception = ApiException.class)
    HttpResponse<JsonNode> api(ApiException e) {
        return ApiErrors.of(e);
    }

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<JsonNode> noRoute(HttpRequest<?> request) {
        return ApiErrors.of(new ApiException(404, Failure.of(ErrorCode.NOT_FOUND, "no route " + request.getMethod()
                + " " + request.getPath(), "GET /openapi.yml describes the routes.")));
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    HttpResponse<JsonNode> wrongMethod(HttpRequest<?> request) {
        return ApiErrors.of(new ApiException(405, Failure.of(ErrorCode.INVALID_INPUT, request.getMethod()
                + " is not allowed on " + request.getPath(), "GET /openapi.yml describes the routes.")));
    }

    @Error(global = true, status = HttpStatus.UNSUPPORTED_MEDIA_TYPE)
    HttpResponse<JsonNode> wrongMediaType(HttpRequest<?> request) {
        return ApiErrors.of(new ApiException(415, Failure.of(ErrorCode.INVALID_INPUT, "this route does not take "
                + request.getContentType().map(Object::toString).orElse("a body without Content-Type"),
                "Send JSON with Content-Type: application/json (a plugin archive: application/octet-stream).")));
    }

    // Micronaut's server-wide limits (max-request-size, max-request-buffer-size): the largest route limit.
    @Error(global = true, exception = ContentLengthExceededException.class)
    HttpResponse<JsonNode> tooLarge(ContentLengthExceededException e) {
        return ApiErrors.of(BodyGuard.tooLarge("more than the service takes", Allowed.ARCHIVE_BODY));
    }

    @Error(global = true, exception = BufferLengthExceededException.class)
    HttpResponse<JsonNode> tooLargeToBuffer(BufferLengthExceededException e) {
        return ApiErrors.of(BodyGuard.tooLarge("more than the service takes", Allowed.ARCHIVE_BODY));
    }

    @Error(global = true, exception = UnsatisfiedRouteException.class)
    HttpResponse<JsonNode> unsatisfied(UnsatisfiedRouteException e) {
        return ApiErrors.of(ApiException.badRequest(e.getMessage(), "GET /openapi.yml describes the routes."));
    }

    @Error(global = true, exception = ConversionErrorException.class)
    HttpResponse<JsonNode> unconvertible(ConversionErrorException e) {
        return ApiErrors.of(ApiException.badRequest(e.getMessage(), "GET /openapi.yml describes the routes."));
    }

    // A bug of ours: logged with its trace, answered without one.
    @Error(global = true, exception = RuntimeException.class)
    HttpResponse<JsonNode> unexpected(HttpRequest<?> request, RuntimeException e) {
        log.error("{} {} failed", request.getMethod(), request.getPath(), e);
        return ApiErrors.of(new ApiException(500, Failure.of(ErrorCode.UPSTREAM_ERROR,
                "the service failed on this request: " + e.getClass().getSimpleName(),
                "See the service's log; report it if it persists.")));
    }
}

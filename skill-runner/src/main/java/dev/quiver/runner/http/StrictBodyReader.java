package dev.quiver.runner.http;

import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;

/**
 * Binds an {@link ExecutionBody} from the request body with the runner's strict reader ({@link StrictJsonBody}: strict UTF-8,
 * no duplicate key, the error object with line and column) instead of Micronaut's Jackson binding, which would decode
 * an invalid byte to U+FFFD and keep the last of two equal keys. The route's byte limit was enforced while the body
 * arrived ({@link BodyGuard}).
 */
@Singleton
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
final class StrictBodyReader implements MessageBodyReader<ExecutionBody> {

    @Override
    public boolean isReadable(Argument<ExecutionBody> type, MediaType mediaType) {
        return type.getType() == ExecutionBody.class;
    }

    @Override
    public ExecutionBody read(Argument<ExecutionBody> type, MediaType mediaType, Headers httpHeaders,
                              InputStream inputStream) throws CodecException {
        byte[] bytes;
        try {
            bytes = inputStream.readAllBytes();
        } catch (IOException e) {
            throw new CodecException("cannot read the request body", e);
        }
        return ExecutionBody.from(StrictJsonBody.object(bytes, "{\"connection\", \"input\"}"));
    }
}

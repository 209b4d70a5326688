package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Binds a typed request body with the runner's strict reader ({@link StrictJsonBody}: strict UTF-8, no duplicate
 * key, the error object with line and column) instead of Micronaut's Jackson binding, which would decode an invalid
 * byte to U+FFFD, keep the last of two equal keys and put its parser's words in the error. The record then checks
 * its own fields and refuses unknown ones. The route's byte limit was enforced while the body arrived
 * ({@link BodyGuard}). One bean per record type: Micronaut picks a reader by its type argument.
 *
 * @param <T> the record
 */
abstract class StrictBodyReader<T> implements MessageBodyReader<T> {

    private final Class<T> type;
    private final String what;
    private final Function<JsonNode, T> from;

    StrictBodyReader(Class<T> type, String what, Function<JsonNode, T> from) {
        this.type = type;
        this.what = what;
        this.from = from;
    }

    @Override
    public boolean isReadable(Argument<T> argument, MediaType mediaType) {
        return argument.getType() == type;
    }

    @Override
    public T read(Argument<T> argument, MediaType mediaType, Headers httpHeaders, InputStream inputStream)
            throws CodecException {
        byte[] bytes;
        try {
            bytes = inputStream.readAllBytes();
        } catch (IOException e) {
            throw new CodecException("cannot read the request body", e);
        }
        return from.apply(StrictJsonBody.object(bytes, what));
    }

    /** {@code POST /api/v1/skills/{id}/executions}. */
    @Singleton
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    static final class Executions extends StrictBodyReader<ExecutionBody> {
        Executions() {
            super(ExecutionBody.class, "{\"connection\", \"input\"}", ExecutionBody::from);
        }
    }

    /** {@code POST /api/v1/keys}. */
    @Singleton
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    static final class Keys extends StrictBodyReader<KeyRequest> {
        Keys() {
            super(KeyRequest.class, "a key request", KeyRequest::from);
        }
    }

    /** {@code POST /api/v1/connections}. */
    @Singleton
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    static final class Connections extends StrictBodyReader<ConnectionBody> {
        Connections() {
            super(ConnectionBody.class, "a connection", ConnectionBody::from);
        }
    }
}

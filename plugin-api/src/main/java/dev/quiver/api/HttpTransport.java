package dev.quiver.api;

import java.io.IOException;

/**
 * Sends requests to the connection's API with its credential attached. Shared by concurrent executions and safe
 * for use from many threads.
 *
 * <p>A request's path is resolved against the connection's base URL; the transport refuses to send the credential
 * anywhere else. A call never outlives the execution's deadline.
 * @since 1.0
 */
public interface HttpTransport {

    /**
     * Sends one request and reads the whole response. Any HTTP status is a response, not an exception.
     *
     * @throws java.io.InterruptedIOException when the deadline passed or the thread was interrupted
     * @throws IOException                    when the exchange failed; the server may or may not have received the
     *                                        request, so only a request that is safe to repeat may be retried
     */
    HttpResponse send(HttpRequest request) throws IOException;
}

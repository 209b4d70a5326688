package dev.quiver.testkit;

import dev.quiver.api.AuthMethod;
import dev.quiver.gate.AuthHeaders;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.HttpTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP transport for plugin tests, with the runner's rules: the path is resolved against the connection's
 * base URL (a path that leaves it is refused), the credential is sent as the auth method's header templates say (a
 * plugin may not set those headers itself), a call never outlives the deadline, and the vendor's request ids are
 * collected. It counts what it sent, so a test can prove that a refusal sent nothing.
 */
public final class TestTransport implements HttpTransport {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final Map<String, String> authHeaders;
    private final String requestIdHeader;
    private final Instant deadline;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<String> requestIds = Collections.synchronizedList(new ArrayList<>());

    TestTransport(String baseUrl, AuthMethod method, Map<String, String> secrets, String requestIdHeader,
                  Instant deadline) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authHeaders = headers(method, secrets);
        this.requestIdHeader = requestIdHeader;
        this.deadline = deadline;
    }

    /** The headers an auth method's templates make of these values: the runner's own {@link AuthHeaders}. */
    public static Map<String, String> headers(AuthMethod method, Map<String, String> values) {
        return AuthHeaders.resolve(method, values);
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        if (!request.path().startsWith("/") || request.path().startsWith("//") || request.path().contains("/../")
                || request.path().contains("://")) {
            throw new IllegalArgumentException("the path " + request.path() + " leaves the connection's base URL");
        }
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new InterruptedIOException("the execution's deadline passed");
        }
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(
                URI.create(baseUrl + request.path())).timeout(left);
        request.headers().forEach((name, value) -> {
            if (authHeaders.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
                throw new IllegalArgumentException("a plugin may not set the credential header " + name);
            }
            builder.header(name, value);
        });
        authHeaders.forEach(builder::header);
        byte[] body = request.body();
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        builder.method(request.method(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        sent.incrementAndGet();
        java.net.http.HttpResponse<byte[]> response;
        try {
            response = CLIENT.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new InterruptedIOException("the execution's deadline passed");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        if (requestIdHeader != null) {
            response.headers().firstValue(requestIdHeader).ifPresent(requestIds::add);
        }
        return new HttpResponse(response.statusCode(), headers, response.body());
    }

    /** How many requests it sent. */
    public int sent() {
        return sent.get();
    }

    /** The vendor's request ids, in the order the answers came. */
    public List<String> requestIds() {
        return List.copyOf(requestIds);
    }
}

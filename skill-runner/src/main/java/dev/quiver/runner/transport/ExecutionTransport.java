package dev.quiver.runner.transport;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.HttpRequest;
import dev.quiver.gate.AuthHeaders;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.HttpTransport;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HttpTransport} of one execution: resolves paths against the connection's base URL (and refuses any
 * other destination, so the credential goes nowhere else), adds the credential's headers, bounds every call by the
 * execution's deadline, and remembers the vendor's request ids. Thread-safe.
 */
public final class ExecutionTransport implements HttpTransport {

    private final OkHttpClient client;
    private final HttpUrl base;
    /** The base URL as text without a trailing "/" (a URL without a path reads as "/"), for paths to follow. */
    private final String prefix;
    private final AuthMethod method;
    private final CredentialRenewal renewal;
    /** The connection whose credential requests carry now: another one after a renewal. */
    private volatile Connection connection;
    private volatile Map<String, String> authHeaders;
    private final AtomicBoolean renewed = new AtomicBoolean();
    private volatile Failure renewalFailure;
    private final String requestIdHeader;
    private final Instant deadline;
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    static final String UNRECOGNISED_ID = "[not an id]";

    private final List<String> requestIds = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final VendorTraffic.Counts counts;

    ExecutionTransport(OkHttpClient client, HttpUrl base, Connection connection, AuthMethod method,
                       CredentialRenewal renewal, String requestIdHeader, Instant deadline,
                       VendorTraffic.Counts counts) {
        this.counts = counts;
        this.connection = connection;
        this.method = method;
        this.renewal = renewal;
        this.client = client;
        this.base = base;
        String text = base.toString();
        this.prefix = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.authHeaders = Map.copyOf(AuthHeaders.resolve(method, connection.credential().values()));
        this.requestIdHeader = requestIdHeader;
        this.deadline = deadline;
    }

    /**
     * Sends {@code request}. A 401 is answered once by renewing the credential (an OAuth connection's refresh, once
     * per connection at a time across threads and processes: see {@link CredentialRenewal}) and sending the request
     * again with the new one; a second 401 is the skill's to report.
     */
    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        Map<String, String> used = authHeaders;
        HttpResponse response = send(request, used);
        if (response.status() != 401) {
            return response;
        }
        // Sending again is safe for a write too: a 401 means the vendor refused the request before acting on it.
        Map<String, String> renewedHeaders = renewedSince(used);
        return renewedHeaders == null ? response : send(request, renewedHeaders);
    }

    /**
     * Headers with a credential other than {@code used}: those another request of this execution already renewed,
     * else those of one renewal (an execution renews at most once, so a vendor refusing every token costs one
     * refresh, not one per request); {@code null} when there is none. Synchronized: a parallel request refused
     * meanwhile waits for the renewal under way and uses its credential.
     */
    private synchronized Map<String, String> renewedSince(Map<String, String> used) {
        Map<String, String> now = authHeaders;
        if (!now.equals(used)) {
            return now;
        }
        if (!renewed.compareAndSet(false, true)) {
            return null;
        }
        try {
            Connection fresh = renewal.renew(connection);
            if (fresh == null || fresh.credential().values().equals(connection.credential().values())) {
                return null;
            }
            Map<String, String> headers = Map.copyOf(AuthHeaders.resolve(method, fresh.credential().values()));
            connection = fresh;
            authHeaders = headers;
            return headers;
        } catch (FailureException e) {
            renewalFailure = e.failure();  // the 401 stands; the pipeline reports why (e.g. needs reconnecting)
            return null;
        } catch (IllegalArgumentException e) {
            return null;  // the renewed credential lacks a header's field: keep the 401
        }
    }

    private HttpResponse send(HttpRequest request, Map<String, String> authHeaders) throws IOException {
        HttpUrl url = resolve(request.path());
        Request.Builder builder = new Request.Builder().url(url).header("User-Agent", TransportFactory.USER_AGENT);
        request.headers().forEach((name, value) -> {
            if (authHeaders.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
                throw new IllegalArgumentException("a plugin may not set the credential header " + name);
            }
            builder.header(name, value);
        });
        authHeaders.forEach(builder::header);
        RequestBody body = request.body() == null ? null
                : RequestBody.create(request.body(), MediaType.get(request.contentType() == null
                ? "application/octet-stream" : request.contentType()));
        if (body == null && (request.method().equals("POST") || request.method().equals("PUT")
                || request.method().equals("PATCH"))) {
            body = RequestBody.create(new byte[0]);
        }
        builder.method(request.method(), body);

        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new InterruptedIOException("the execution's deadline passed");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the execution was interrupted");
        }
        Call call = client.newCall(builder.build());
        call.timeout().timeout(left.toMillis(), TimeUnit.MILLISECONDS);
        sent.incrementAndGet();
        counts.requests().increment();
        try (Response response = callOrExplain(call)) {
            if (response.code() == 429) {
                counts.rateLimited().increment();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().toMultimap().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), values));
            if (requestIdHeader != null) {
                String id = response.header(requestIdHeader);
                if (id != null) {
                    // Passed on to callers and kept in the records: only what looks like an id, never what an
                    // upstream chose to put there (an echoed credential, a megabyte of text).
                    requestIds.add(REQUEST_ID.matcher(id).matches() ? id : UNRECOGNISED_ID);
                }
            }
            ResponseBody responseBody = response.body();
            return new HttpResponse(response.code(), headers, responseBody.bytes());
        }
    }

    // A refused connection to a loopback base URL is nearly always a sandbox that is no longer running (its
    // connection stays stored after it stops): say so, instead of sending the user to check their network.
    private Response callOrExplain(Call call) throws IOException {
        try {
            return call.execute();
        } catch (java.net.ConnectException e) {
            String where = base.scheme() + "://" + base.host() + ":" + base.port();
            boolean loopback = base.host().equals("localhost") || base.host().startsWith("127.")
                    || base.host().equals("::1") || base.host().equals("[::1]");
            java.net.ConnectException explained = new java.net.ConnectException(loopback
                    ? "nothing accepts connections at " + where + " (a loopback address: if this is the sandbox's"
                    + " connection, the sandbox is not running; start it with 'sandbox' or 'serve --sandbox')"
                    : "cannot connect to " + where + ": " + e.getMessage());
            explained.initCause(e);
            throw explained;
        }
    }

    private HttpUrl resolve(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("request path must be relative to the base URL: " + path);
        }
        HttpUrl url = HttpUrl.parse(prefix + path);
        if (url == null || !url.scheme().equals(base.scheme()) || !url.host().equals(base.host())
                || url.port() != base.port() || !url.encodedPath().startsWith(base.encodedPath())) {
            throw new IllegalArgumentException("request path leaves the connection's base URL: " + path);
        }
        return url;
    }

    /** The vendor's request ids of the responses so far, in order. */
    public List<String> requestIds() {
        synchronized (requestIds) {
            return List.copyOf(requestIds);
        }
    }

    /** The connection requests carry the credential of now: the bound one, or the one a 401 renewed. */
    public Connection connection() {
        return connection;
    }

    /** Why renewing the credential after a 401 failed (the grant is gone), or {@code null}. */
    public Failure renewalFailure() {
        return renewalFailure;
    }

    /** How many requests this transport has sent (or tried to). */
    public int requestsSent() {
        return sent.get();
    }
}

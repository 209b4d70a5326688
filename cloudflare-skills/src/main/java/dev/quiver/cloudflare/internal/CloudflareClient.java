package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls the Cloudflare API v4 for one execution: unwraps the envelope, retries what is safe to retry within the
 * deadline, and turns Cloudflare's failures into typed {@link SkillException}s.
 *
 * <p>Retries: a GET (or other idempotent request) is retried on 429, 5xx, I/O failures and a body that is not
 * Cloudflare's JSON envelope (a truncated answer, a proxy's HTML page); any request is retried on 429, which
 * Cloudflare answers before doing anything. A POST that failed ambiguously (5xx, connection reset, a garbled answer)
 * is never repeated: it may have been applied. Waits honour {@code retry-after} and never pass the deadline.
 *
 * <p>Every request, retries and probes included, first takes a slot from the credential's {@link RequestPacer}.
 */
public final class CloudflareClient {

    static final int MAX_ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SkillContext context;
    private final RequestPacer pacer;

    public CloudflareClient(SkillContext context) {
        this(context, RequestPacer.forCredential(credentialKey(context)));
    }

    CloudflareClient(SkillContext context, RequestPacer pacer) {
        this.context = context;
        this.pacer = pacer;
    }

    /** GETs {@code path} (with its query) and returns the envelope. */
    public Envelope get(String path) throws SkillException {
        return send(HttpRequest.get(path));
    }

    /**
     * GETs {@code path} where "nothing there" is an answer, not a failure: an HTTP 404 (such as 10003 "could not
     * find entrypoint ruleset") gives an empty result. Other failures throw as {@link #get} does.
     */
    public Optional<Envelope> find(String path) throws SkillException {
        HttpRequest request = HttpRequest.get(path);
        Answer answer = exchange(request);
        if (answer.response().status() == 404) {
            return Optional.empty();
        }
        return Optional.of(unwrap(request, answer));
    }

    /** Sends a JSON body and returns the envelope. */
    public Envelope sendJson(String method, String path, JsonNode body) throws SkillException {
        try {
            return send(HttpRequest.json(method, path, JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new SkillException(ErrorCode.PLUGIN_FAULT, "cannot encode the request body", null, List.of(), e);
        }
    }

    private Envelope send(HttpRequest request) throws SkillException {
        return unwrap(request, exchange(request));
    }

    /** A response and its body parsed, {@code envelope} null when the body is not the API's JSON envelope. */
    private record Answer(HttpResponse response, JsonNode envelope) {
    }

    /** Sends with pacing and the retries that are safe for this request; the last answer, whatever it says. */
    private Answer exchange(HttpRequest request) throws SkillException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse response;
            try {
                response = transmit(request);
            } catch (InterruptedIOException e) {
                throw timeout(e);
            } catch (IOException e) {
                if (request.idempotent() && attempt < MAX_ATTEMPTS && pause(backoff(attempt, null))) {
                    continue;
                }
                throw new SkillException(ErrorCode.UPSTREAM_ERROR,
                        "the request to Cloudflare failed: " + e.getMessage()
                                + (request.idempotent() ? "" : " (not repeated: Cloudflare may have applied it)"),
                        e instanceof java.net.ConnectException
                                ? "Nothing accepted the connection: check the connection's base_url, and start the"
                                + " sandbox again if it is the sandbox's connection."
                                : request.idempotent() ? "Retry later; check the network path to the Cloudflare API."
                                : "Check whether the change was applied before retrying.",
                        List.of(Map.of("method", request.method(), "path", stripQuery(request.path()))), e);
            }
            pacer.learn(response.header("x-ratelimit-limit"));
            int status = response.status();
            JsonNode envelope = envelope(response);
            Duration wait = backoff(attempt, response.header("retry-after"));
            if (status == 429) {
                pacer.pause(wait);
            }
            boolean retryable = status == 429
                    || (request.idempotent() && (status >= 500 || envelope == null));
            if (retryable && attempt < MAX_ATTEMPTS && pause(wait)) {
                continue;
            }
            return new Answer(response, envelope);
        }
    }

    private HttpResponse transmit(HttpRequest request) throws IOException, SkillException {
        Duration wait;
        try {
            wait = pacer.acquire(context.remaining());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timeout(e);
        }
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("retry_after_seconds", seconds);
            detail.put("path", stripQuery(request.path()));
            throw new SkillException(ErrorCode.RATE_LIMITED,
                    "Cloudflare's rate limit for this credential (" + pacer.limit() + " requests per"
                            + " 5 minutes, or a retry-after it sent) leaves no slot before this execution's deadline:"
                            + " the next is in " + seconds + " s",
                    "Retry after " + seconds + " seconds, give the execution a longer timeout, or spread the work"
                            + " over more time or another token. This request was not sent.",
                    List.of(detail), null);
        }
        return context.http().send(request);
    }

    private Envelope unwrap(HttpRequest request, Answer answer) throws SkillException {
        HttpResponse response = answer.response();
        JsonNode body = answer.envelope();
        if (body == null) {
            throw notTheApi(response);
        }
        if (response.status() < 300 && body.path("success").asBoolean(false)) {
            return Envelope.of(body);
        }
        throw CloudflareErrors.toException(request, response, body, stripQuery(request.path()), this);
    }

    /** Whether the connection's credential itself is good, asked after a 403 to tell "no permission" from "bad key". */
    /** The quota per 5 minutes in force for this credential: Cloudflare's 1200, or what its answers announced. */
    int quota() {
        return pacer.limit();
    }

    boolean credentialWorks() {
        List<String> probes = "global_api_key".equals(context.connection().authMethod())
                ? List.of("/user")
                : List.of("/user/tokens/verify",
                "/accounts/" + Query.segment(context.connection().setting("account_id")) + "/tokens/verify");
        for (String probe : probes) {
            try {
                HttpResponse response = transmit(HttpRequest.get(probe));
                JsonNode body = JSON.readTree(response.bodyStream());
                if (response.status() == 200 && body.path("success").asBoolean(false)
                        && !"expired".equals(body.path("result").path("status").asText())
                        && !"disabled".equals(body.path("result").path("status").asText())) {
                    return true;
                }
            } catch (IOException | SkillException e) {
                return false;
            }
        }
        return false;
    }

    private static String credentialKey(SkillContext context) {
        String fingerprint = context.connection().credentialFingerprint();
        return fingerprint != null ? fingerprint : "connection:" + context.connection().id();
    }

    /** The body when it is the API's JSON envelope, else null (an HTML error page, a truncated body). */
    private static JsonNode envelope(HttpResponse response) {
        try {
            JsonNode body = JSON.readTree(response.bodyStream());
            return body != null && body.isObject() && body.has("success") ? body : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static SkillException notTheApi(HttpResponse response) {
        String type = response.header("content-type");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("http_status", response.status());
        detail.put("content_type", type == null ? "none" : type);
        return new SkillException(ErrorCode.UPSTREAM_ERROR,
                "Cloudflare answered HTTP " + response.status() + " with a body that is not its API's JSON envelope"
                        + (type == null ? "" : " (" + type + ")"),
                "Retry later; if it persists, check https://www.cloudflarestatus.com and the connection's base_url.",
                List.of(detail), null);
    }

    private Duration backoff(int attempt, String retryAfter) {
        if (retryAfter != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException ignored) {
                // an HTTP-date: fall back to exponential backoff
            }
        }
        long base = FIRST_BACKOFF.toMillis() << (attempt - 1);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** Sleeps unless that would pass the deadline; false when there is no time left for another attempt. */
    private boolean pause(Duration delay) throws SkillException {
        if (delay.compareTo(context.remaining()) >= 0) {
            return false;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timeout(e);
        }
    }

    private static SkillException timeout(Exception e) {
        return new SkillException(ErrorCode.TIMEOUT, "the execution's deadline passed while calling Cloudflare",
                "Retry with a longer timeout, or narrow the request (filters, limit).", List.of(), e);
    }

    static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** The items of a list result. */
    public static List<JsonNode> items(JsonNode result) {
        List<JsonNode> items = new ArrayList<>();
        result.forEach(items::add);
        return items;
    }
}

package com.example.lantern.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Lantern's API for one execution: paths under the connection's organisation, Lantern's errors as Quiver's codes. */
public final class LanternClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SkillContext context;

    public LanternClient(SkillContext context) {
        this.context = context;
    }

    /** {@code /orgs/<slug>}: the organisation URL's last path segment ({@code https://lantern.example/orgs/acme}). */
    public String orgPath() {
        String path = URI.create(context.connection().setting("organization_url")).getPath();
        String slug = path.substring(path.lastIndexOf('/') + 1);
        return "/orgs/" + URLEncoder.encode(slug, StandardCharsets.UTF_8);
    }

    public JsonNode get(String path) throws SkillException {
        return answer(send(HttpRequest.get(path)));
    }

    public JsonNode post(String path, JsonNode body) throws SkillException {
        try {
            return answer(send(HttpRequest.json("POST", path, JSON.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SkillException(ErrorCode.PLUGIN_FAULT, "cannot write the request", null);
        }
    }

    private HttpResponse send(HttpRequest request) throws SkillException {
        try {
            return context.http().send(request);
        } catch (InterruptedIOException e) {
            throw new SkillException(ErrorCode.TIMEOUT, "Lantern did not answer before the deadline", null);
        } catch (IOException e) {
            // Not retried: a POST may have reached Lantern.
            throw new SkillException(ErrorCode.UPSTREAM_ERROR, "Lantern could not be reached: "
                    + e.getClass().getSimpleName(), "Check the connection's base_url and try again.");
        }
    }

    private static JsonNode answer(HttpResponse response) throws SkillException {
        int status = response.status();
        if (status / 100 == 2) {
            try {
                return JSON.readTree(response.bodyStream());
            } catch (IOException e) {
                throw new SkillException(ErrorCode.UPSTREAM_ERROR, "Lantern answered " + status + " with a body that"
                        + " is not JSON", null);
            }
        }
        List<Map<String, Object>> details = List.of(Map.of("status", status));
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.AUTHENTICATION_FAILED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> ErrorCode.UPSTREAM_ERROR;
        };
        throw new SkillException(code, "Lantern refused the request (" + status + ")", switch (code) {
            case AUTHENTICATION_FAILED -> "Check the connection's API key.";
            case PERMISSION_DENIED -> "Check the key's scopes in Lantern's console.";
            default -> null;
        }, details, null);
    }
}

package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.oauth.OAuthFlow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.util.List;
import java.util.Map;

/**
 * "Click to connect": an admin starts an OAuth connect and gets the URL to open; the vendor sends the user's browser
 * back to the callback, which needs no API key (the browser has none) and is bound to the connect by its single-use
 * {@code state}. The callback's page names what was connected, never a token or code.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class OAuthController {

    private final OAuthFlow oauth;

    OAuthController(OAuthFlow oauth) {
        this.oauth = oauth;
    }

    @Post("/connections/{id}/connect")
    @Allowed(Role.ADMIN)
    @InScope
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @ApiResponse(responseCode = "200", description = "Open authorize_url in a browser",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ConnectStarted.class)))
    @ApiDocs.Keyed
    @ApiDocs.Refused
    @ApiDocs.WithBody
    @ApiDocs.Named
    ObjectNode connect(@PathVariable String id, @Nullable @Body byte[] body, HttpRequest<?> request) {
        Tenancy.requireInScope(request, id);
        JsonNode connect = StrictJsonBody.object(body, "a connect request");
        try {
            // the redirect URI is the configured one or the service's bound address, never the Host header
            OAuthFlow.Started started = oauth.start(id, connect, AccessFilter.caller(request).id());
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("authorize_url", started.authorizeUrl());
            answer.put("state", started.state());
            answer.put("expires_at", started.expiresAt().toString());
            started.scopes().forEach(answer.putArray("scopes")::add);
            return answer;
        } catch (OAuthFlow.OAuthException e) {
            throw new ApiException(e.status(), Failure.of(ErrorCode.INVALID_INPUT, e.getMessage(),
                    "See the connect request's fields in the API description."));
        } catch (Failure.FailureException e) {
            // the connection's settings, checked before any URL is answered: a bad request, not a conflict
            throw new ApiException(400, e.failure());
        }
    }

    @Get("/oauth/callback")
    @Public
    @SecurityRequirement(name = "")
    @Produces(MediaType.TEXT_HTML)
    HttpResponse<String> callback(@Nullable @QueryValue String code, @Nullable @QueryValue String state,
                                  @Nullable @QueryValue String error) {
        try {
            OAuthFlow.Connected connected = oauth.complete(code, state, error);
            StringBuilder body = new StringBuilder("<p>Connection <b>").append(escape(connected.connectionId()))
                    .append("</b> (").append(escape(connected.type())).append(") is connected.</p>\n<p>Granted: ")
                    .append(escape(String.join(", ", connected.grantedScopes()))).append("</p>\n<p>Ready skills:</p>\n<ul>\n");
            connected.readySkills().forEach(s -> body.append("<li>").append(escape(s)).append("</li>\n"));
            body.append("</ul>\n");
            if (!connected.declinedSkills().isEmpty()) {
                body.append("<p>Not ready (a scope was not approved):</p>\n<ul>\n");
                for (Map.Entry<String, List<String>> skill : connected.declinedSkills().entrySet()) {
                    body.append("<li>").append(escape(skill.getKey())).append(": reconnect and approve ")
                            .append(escape(String.join(", ", skill.getValue()))).append("</li>\n");
                }
                body.append("</ul>\n");
            }
            return page(HttpStatus.OK, "Connected", body.toString());
        } catch (OAuthFlow.OAuthException e) {
            return page(HttpStatus.valueOf(e.status()), "Not connected", "<p>" + escape(e.getMessage()) + "</p>");
        }
    }

    private static HttpResponse<String> page(HttpStatus status, String title, String body) {
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store")
                // The URL holds a code (single-use, but still): no script, no resource, no framing, no referrer.
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Quiver: " + title
                        + "</title></head><body>\n<h1>" + title + "</h1>\n" + body + "</body></html>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

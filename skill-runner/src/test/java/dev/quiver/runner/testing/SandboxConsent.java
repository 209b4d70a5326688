package dev.quiver.runner.testing;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service.Reply;
import dev.quiver.sandbox.CloudflareSandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connects by OAuth through a {@link Service#startWithOAuth started-with-OAuth} service and its sandbox, playing the
 * browser with an HTTP client: the connect route, the sandbox's consent page with every scope approved, the
 * callback. For tests about what happens after a connect; the consent itself is tested in {@code OAuthConnectTest}
 * and in Chromium.
 */
public final class SandboxConsent {

    private static final HttpClient BROWSER = HttpClient.newHttpClient();  // follows no redirect: the callback is ours

    private SandboxConsent() {
    }

    /** Connects {@code id} for {@code skill} on the sandbox's account and zone, approving every scope offered. */
    public static void connect(Service service, String id, String skill) throws Exception {
        CloudflareSandbox sandbox = service.sandbox();
        Reply started = service.post("/api/v1/connections/" + id + "/connect", Role.ADMIN,
                "{\"type\": \"cloudflare\", \"skills\": [\"" + skill + "\"], \"account_id\": \""
                        + sandbox.connection().path("account_id").asText() + "\", \"zone_id\": \""
                        + sandbox.connection().path("zone_id").asText() + "\", \"base_url\": \"" + sandbox.baseUrl()
                        + "\"}");
        assertEquals(200, started.status(), started.body());
        URI authorize = URI.create(started.json().path("authorize_url").asText());
        String page = BROWSER.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher consent = Pattern.compile("name=\"consent\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(consent.find(), page);
        StringBuilder form = new StringBuilder("decision=approve&consent=" + consent.group(1));
        Matcher scopes = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"").matcher(page);
        while (scopes.find()) {
            form.append("&scope=").append(URLEncoder.encode(scopes.group(1), StandardCharsets.UTF_8));
        }
        HttpResponse<String> decision = BROWSER.send(HttpRequest.newBuilder(authorize.resolve("/oauth2/auth"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = decision.headers().firstValue("location").orElseThrow(
                () -> new AssertionError("the consent did not redirect: " + decision.statusCode()));
        Reply done = service.send("GET", callback.substring(callback.indexOf("/api/v1/")), null, null, null);
        assertEquals(200, done.status(), done.body());
    }
}

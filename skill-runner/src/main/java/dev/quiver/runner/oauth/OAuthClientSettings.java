package dev.quiver.runner.oauth;

import java.util.function.Function;

/**
 * This deployment's OAuth client registration, from the environment: {@code QUIVER_OAUTH_CLIENT_ID},
 * {@code QUIVER_OAUTH_CLIENT_SECRET} (absent: a public client, PKCE alone), {@code QUIVER_OAUTH_REDIRECT_URI}
 * (absent: the service's own callback) and {@code QUIVER_OAUTH_BASE_URL} (absent: the connection type's
 * authorization server; set for a simulator's).
 *
 * @param clientId     {@code null} when OAuth is not configured
 * @param clientSecret {@code null} for a public client
 * @param redirectUri  {@code null}: derived from the request that starts a connect
 * @param baseUrl      {@code null}: the type's own
 */
public record OAuthClientSettings(String clientId, String clientSecret, String redirectUri, String baseUrl) {

    public static OAuthClientSettings from(Function<String, String> environment) {
        return new OAuthClientSettings(blankToNull(environment.apply("QUIVER_OAUTH_CLIENT_ID")),
                blankToNull(environment.apply("QUIVER_OAUTH_CLIENT_SECRET")),
                blankToNull(environment.apply("QUIVER_OAUTH_REDIRECT_URI")),
                blankToNull(environment.apply("QUIVER_OAUTH_BASE_URL")));
    }

    public boolean configured() {
        return clientId != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "OAuthClientSettings[clientId=" + clientId + ", secret=" + (clientSecret == null ? "none" : "set")
                + ", redirectUri=" + redirectUri + ", baseUrl=" + baseUrl + "]";
    }
}

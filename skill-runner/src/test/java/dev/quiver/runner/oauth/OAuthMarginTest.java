package dev.quiver.runner.oauth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long before expiry a token is refreshed (a tenth of its lifetime, at most a minute), and the default redirect
 * URI made of the service's bound address.
 */
class OAuthMarginTest {

    @Test
    void theMarginIsATenthOfTheLifetimeAndAtMostAMinute() {
        assertEquals(Duration.ofMillis(500), OAuthFlow.margin(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(30), OAuthFlow.margin(Duration.ofMinutes(5)));
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(Duration.ofHours(1)), "Cloudflare's hour");
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(null), "an unknown lifetime: the most");
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(Duration.ofSeconds(-1)));
    }

    @Test
    void theDefaultCallbackIsTheBoundAddressAndLoopbackForAWildcardBind() {
        assertEquals("http://127.0.0.1:8686/api/v1/oauth/callback", OAuthFlow.callbackAt("127.0.0.1", 8686));
        assertEquals("http://127.0.0.1:8686/api/v1/oauth/callback", OAuthFlow.callbackAt("0.0.0.0", 8686));
        assertEquals("http://127.0.0.1:8686/api/v1/oauth/callback", OAuthFlow.callbackAt("::", 8686));
        assertEquals("http://[::1]:8686/api/v1/oauth/callback", OAuthFlow.callbackAt("::1", 8686));
        assertEquals("http://10.0.0.5:9000/api/v1/oauth/callback", OAuthFlow.callbackAt("10.0.0.5", 9000));
    }
}

package dev.quiver.runner.oauth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How long before expiry a token is refreshed: a tenth of its lifetime, at most a minute. */
class OAuthMarginTest {

    @Test
    void theMarginIsATenthOfTheLifetimeAndAtMostAMinute() {
        assertEquals(Duration.ofMillis(500), OAuthFlow.margin(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(30), OAuthFlow.margin(Duration.ofMinutes(5)));
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(Duration.ofHours(1)), "Cloudflare's hour");
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(null), "an unknown lifetime: the most");
        assertEquals(Duration.ofSeconds(60), OAuthFlow.margin(Duration.ofSeconds(-1)));
    }
}

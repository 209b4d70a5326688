package dev.quiver.runner.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyExpiryTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void durationsCountFromNowAndTimesAreTakenAsGiven() {
        assertEquals(NOW.plus(Duration.ofDays(30)), KeyExpiry.parse("30d", NOW));
        assertEquals(NOW.plus(Duration.ofHours(12)), KeyExpiry.parse("12h", NOW));
        assertEquals(NOW.plus(Duration.ofMinutes(90)), KeyExpiry.parse("90m", NOW));
        assertEquals(Instant.parse("2027-01-31T00:00:00Z"), KeyExpiry.parse("2027-01-31T00:00:00Z", NOW));
    }

    @Test
    void anExpiryInThePastTooFarAheadOrUnreadableIsRefused() {
        for (String bad : new String[]{"0d", "-1d", "30", "30 days", "2026-01-01T00:00:00Z", "99999d", ""}) {
            assertThrows(IllegalArgumentException.class, () -> KeyExpiry.parse(bad, NOW), bad);
        }
    }
}

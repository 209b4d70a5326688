package dev.quiver.runner.access;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When a new API key stops working, as an operator writes it: {@code 30d}, {@code 12h}, or an RFC 3339 time. */
public final class KeyExpiry {

    private static final Pattern RELATIVE = Pattern.compile("^([1-9][0-9]{0,4})([dhm])$");
    /** Ten years: past that an expiry is a typo, and "never" is said by giving none. */
    private static final Duration LONGEST = Duration.ofDays(3650);

    private KeyExpiry() {
    }

    /**
     * The instant {@code text} names, counted from {@code now}.
     *
     * @throws IllegalArgumentException naming what is accepted, for text that is none of them or not in the future
     */
    public static Instant parse(String text, Instant now) {
        String value = text == null ? "" : text.strip();
        Matcher relative = RELATIVE.matcher(value);
        Instant at;
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            at = now.plus(switch (relative.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            });
        } else {
            try {
                at = Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expiry '" + text + "' is neither a duration (30d, 12h, 90m) nor an"
                        + " RFC 3339 time (2027-01-31T00:00:00Z)");
            }
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("expiry '" + text + "' is not in the future");
        }
        if (at.isAfter(now.plus(LONGEST))) {
            throw new IllegalArgumentException("expiry '" + text + "' is more than ten years away; give none for a key"
                    + " that does not expire");
        }
        return at;
    }
}

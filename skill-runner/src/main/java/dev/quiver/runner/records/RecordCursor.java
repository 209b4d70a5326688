package dev.quiver.runner.records;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page's {@code next_cursor}: the position of the last record it returned, opaque to callers (they pass it back
 * unchanged) and stable (the same position always gives the same cursor, on every node sharing the database).
 */
final class RecordCursor {

    private static final String PREFIX = "r1:";

    private RecordCursor() {
    }

    static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + seq).getBytes(StandardCharsets.US_ASCII));
    }

    /** The position in {@code cursor}; throws {@link IllegalArgumentException} for one this service did not give. */
    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                long seq = Long.parseLong(text.substring(PREFIX.length()));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new IllegalArgumentException("cursor is not one this service gave out");
    }
}

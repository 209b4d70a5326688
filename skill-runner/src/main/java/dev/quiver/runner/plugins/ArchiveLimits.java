package dev.quiver.runner.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How far a plugin archive may expand: in bytes actually inflated (an entry's declared size is the archive's word,
 * and a zip bomb lies) and in entries. Checked while reading, so nothing is written past a limit.
 *
 * @param maxExpandedBytes the most bytes all entries together may inflate to
 * @param maxEntries       the most entries an archive may have
 */
public record ArchiveLimits(long maxExpandedBytes, int maxEntries) {

    public static final ArchiveLimits DEFAULTS = new ArchiveLimits(256L << 20, 10_000);

    /** The environment variables that change the defaults. */
    public static final String MAX_EXPANDED_BYTES = "QUIVER_PLUGIN_MAX_EXPANDED_BYTES";
    public static final String MAX_ENTRIES = "QUIVER_PLUGIN_MAX_ENTRIES";

    public ArchiveLimits {
        if (maxExpandedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("plugin archive limits must be positive: " + maxExpandedBytes
                    + " bytes, " + maxEntries + " entries");
        }
    }

    /** The defaults, each replaced by its environment variable when set. */
    public static ArchiveLimits from(Function<String, String> environment) {
        return new ArchiveLimits(number(environment, MAX_EXPANDED_BYTES, DEFAULTS.maxExpandedBytes),
                (int) Math.min(Integer.MAX_VALUE, number(environment, MAX_ENTRIES, DEFAULTS.maxEntries)));
    }

    private static long number(Function<String, String> environment, String name, long fallback) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    /** Throws when an archive has more entries than allowed. */
    void checkEntries(int entries) throws Exceeded {
        if (entries > maxEntries) {
            throw new Exceeded(false, "has more than " + maxEntries + " entries", "max_entries", maxEntries);
        }
    }

    /** A count of the bytes inflated so far from one archive. */
    Budget budget() {
        return new Budget();
    }

    /** The bytes inflated so far from one archive, against {@link #maxExpandedBytes}. */
    final class Budget {
        private long used;

        private Budget() {
        }

        /** Copies {@code in} to {@code out}, refusing before the bytes that would pass the limit are written. */
        void copy(InputStream in, OutputStream out) throws IOException {
            byte[] buffer = new byte[64 << 10];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n > maxExpandedBytes - used) {
                    throw new Exceeded(true, "expands to more than " + maxExpandedBytes + " bytes",
                            "max_expanded_bytes", maxExpandedBytes);
                }
                used += n;
                out.write(buffer, 0, n);
            }
        }
    }

    /** An archive past a limit; nothing past it was written. */
    static final class Exceeded extends IOException {
        private final boolean size;
        private final String limit;
        private final long max;

        Exceeded(boolean size, String message, String limit, long max) {
            super(message, null);
            this.size = size;
            this.limit = limit;
            this.max = max;
        }

        /** The refusal of {@code archive}: too large when the bytes were too many, invalid when the entries were. */
        PluginRefused refusal(Path archive) {
            String name = archive.getFileName().toString();
            return new PluginRefused(new PluginReport(name, null, archive.toString(), "failed", name + " "
                    + getMessage() + "; it was refused before anything past the limit was written"),
                    size ? PluginRefused.Kind.TOO_LARGE : PluginRefused.Kind.INVALID,
                    List.of(Map.of("limit", limit, "max", max)));
        }
    }
}

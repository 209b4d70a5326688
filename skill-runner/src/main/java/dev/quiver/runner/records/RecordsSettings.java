package dev.quiver.runner.records;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Where the execution records live and how much of them is kept.
 *
 * @param url          the JDBC URL of the records database: {@code jdbc:sqlite:<home>/records.db} by default, a
 *                     {@code jdbc:postgresql://…} URL that several nodes share
 * @param retention    records older than this are pruned
 * @param maxRows      at most this many records are kept, the oldest pruned first
 * @param maxJsonBytes a record's input and output are each cut to a marker past this size (UTF-8 bytes of the JSON)
 */
public record RecordsSettings(String url, Duration retention, long maxRows, int maxJsonBytes) {

    public static final int DEFAULT_RETENTION_DAYS = 90;
    public static final long DEFAULT_MAX_ROWS = 1_000_000;
    public static final int DEFAULT_MAX_JSON_BYTES = 64 * 1024;

    public RecordsSettings {
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("the records URL must be a jdbc:sqlite: or jdbc:postgresql: URL");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the records' retention must be at least one day");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("the records' row cap must be at least 1");
        }
        if (maxJsonBytes < 256) {
            throw new IllegalArgumentException("the records' JSON size limit must be at least 256 bytes");
        }
    }

    /** The default SQLite file of {@code home}. */
    public static String sqliteUrl(Path home) {
        return "jdbc:sqlite:" + home.resolve("records.db").toAbsolutePath().normalize();
    }

    /** The defaults for {@code home}: SQLite, 90 days, 1,000,000 rows, 64 KiB. */
    public static RecordsSettings defaults(Path home) {
        return new RecordsSettings(sqliteUrl(home), Duration.ofDays(DEFAULT_RETENTION_DAYS), DEFAULT_MAX_ROWS,
                DEFAULT_MAX_JSON_BYTES);
    }

    /**
     * The settings of {@code home} from the operator's option (may be {@code null}) and the environment:
     * {@code QUIVER_RECORDS_URL}, {@code QUIVER_RECORDS_RETENTION_DAYS}, {@code QUIVER_RECORDS_MAX_ROWS},
     * {@code QUIVER_RECORDS_MAX_JSON_BYTES}. The option wins over the environment.
     */
    public static RecordsSettings of(Path home, String urlOption, Function<String, String> environment) {
        String url = firstSet(urlOption, environment.apply("QUIVER_RECORDS_URL"));
        return new RecordsSettings(url == null ? sqliteUrl(home) : url.strip(),
                Duration.ofDays(number(environment, "QUIVER_RECORDS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
                number(environment, "QUIVER_RECORDS_MAX_ROWS", DEFAULT_MAX_ROWS),
                (int) number(environment, "QUIVER_RECORDS_MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES));
    }

    /** This with another retention and row cap. */
    public RecordsSettings retaining(Duration retention, long maxRows) {
        return new RecordsSettings(url, retention, maxRows, maxJsonBytes);
    }

    /** This with another JSON size limit. */
    public RecordsSettings cappingJsonAt(int maxJsonBytes) {
        return new RecordsSettings(url, retention, maxRows, maxJsonBytes);
    }

    /** Whether the records live in PostgreSQL. */
    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without user, password or any other parameter: safe to log and print. */
    public String safeUrl() {
        return SafeUrl.of(url);
    }

    @Override
    public String toString() {
        return "RecordsSettings[" + safeUrl() + ", retention " + retention.toDays() + " days, " + maxRows
                + " rows, " + maxJsonBytes + " bytes]";
    }

    private static String firstSet(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    private static long number(Function<String, String> environment, String name, long fallback) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}

package dev.quiver.runner.records;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordsSettingsTest {

    @Test
    void defaultsToSqliteInTheHomeAndReadsTheEnvironmentAndTheOptionWins() {
        Path home = Path.of("/tmp/q-home");
        RecordsSettings defaults = RecordsSettings.of(home, null, name -> null);
        assertEquals("jdbc:sqlite:/tmp/q-home/records.db", defaults.url());
        assertEquals(Duration.ofDays(90), defaults.retention());
        assertEquals(1_000_000, defaults.maxRows());
        assertEquals(65_536, defaults.maxJsonBytes());

        Map<String, String> env = Map.of("QUIVER_RECORDS_URL", "jdbc:postgresql://db/q",
                "QUIVER_RECORDS_RETENTION_DAYS", "30", "QUIVER_RECORDS_MAX_ROWS", "5000",
                "QUIVER_RECORDS_MAX_JSON_BYTES", "4096");
        RecordsSettings fromEnv = RecordsSettings.of(home, null, env::get);
        assertEquals("jdbc:postgresql://db/q", fromEnv.url());
        assertTrue(fromEnv.postgres());
        assertEquals(Duration.ofDays(30), fromEnv.retention());
        assertEquals(5000, fromEnv.maxRows());
        assertEquals(4096, fromEnv.maxJsonBytes());
        assertEquals("jdbc:postgresql://other/q", RecordsSettings.of(home, "jdbc:postgresql://other/q", env::get).url());

        assertThrows(IllegalArgumentException.class, () -> RecordsSettings.of(home, "jdbc:mysql://x/y", n -> null));
        assertThrows(IllegalArgumentException.class, () -> RecordsSettings.of(home, null,
                Map.of("QUIVER_RECORDS_MAX_ROWS", "lots")::get));
        assertThrows(IllegalArgumentException.class, () -> RecordsSettings.of(home, null,
                Map.of("QUIVER_RECORDS_RETENTION_DAYS", "0")::get));
    }

    @Test
    void theSafeUrlHasNoUserNoPasswordAndNoParameters() {
        for (String url : new String[] {"jdbc:postgresql://quiver:s3cret@db.example:5432/records?sslmode=require",
                "jdbc:postgresql://db.example:5432/records?user=quiver&password=s3cret",
                "jdbc:postgresql://db.example:5432/records;password=s3cret"}) {
            String safe = SafeUrl.of(url);
            assertEquals("jdbc:postgresql://db.example:5432/records", safe);
            assertFalse(new RecordsSettings(url, Duration.ofDays(1), 1, 1024).toString().contains("s3cret"));
        }
        assertEquals("jdbc:sqlite:/home/q/records.db", SafeUrl.of("jdbc:sqlite:/home/q/records.db"));
    }
}

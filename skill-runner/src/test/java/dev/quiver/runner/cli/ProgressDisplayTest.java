package dev.quiver.runner.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long work shows how long it has taken; short work, or work off a terminal, shows nothing. */
class ProgressDisplayTest {

    @Test
    void workThatOutlastsTheQuietPeriodShowsItsTaskAndElapsedTime() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String result = ProgressDisplay.whileRunning(ProgressDisplay.Mode.ALWAYS,
                new PrintStream(err, true, StandardCharsets.UTF_8), "installing big.zip", Duration.ofMillis(100),
                () -> {
                    Thread.sleep(900);
                    return "done";
                });
        assertEquals("done", result);
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("installing big.zip"), shown);
        assertTrue(shown.contains("0:00:00"), "elapsed time: " + shown);
    }

    @Test
    void shortWorkShowsNothing() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressDisplay.whileRunning(ProgressDisplay.Mode.ALWAYS, new PrintStream(err, true, StandardCharsets.UTF_8),
                "installing small.zip", Duration.ofSeconds(1), () -> "done");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void offATerminalAutoShowsNothingEvenForLongWork() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressDisplay.whileRunning(ProgressDisplay.Mode.AUTO, new PrintStream(err, true, StandardCharsets.UTF_8),
                "installing big.zip", Duration.ofMillis(10), () -> {
                    Thread.sleep(300);
                    return "done";
                });
        assertEquals("", err.toString(StandardCharsets.UTF_8), "tests run without a console");
    }
}

package dev.quiver.runner.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress line on stderr for long work, drawn by the progressbar library (done/total, rate, time left) at most
 * four times a second. Shown on a terminal only, unless asked for: in a pipe or CI a progress line is noise, and
 * the caller prints one summary line instead.
 */
final class ProgressDisplay implements AutoCloseable {

    /** When to draw: {@code auto} on a terminal, or always, or never. */
    enum Mode {
        AUTO, ALWAYS, NEVER;

        boolean shows() {
            return this == ALWAYS || (this == AUTO && System.console() != null);
        }
    }

    private static final ProgressDisplay NONE = new ProgressDisplay(null);

    private final ProgressBar bar;
    private final AtomicInteger failed = new AtomicInteger();

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A display of {@code task} counting to {@code total} ({@code -1} when unknown: elapsed time only), or one that
     * shows nothing when {@code mode} says so.
     */
    static ProgressDisplay start(Mode mode, PrintStream stderr, String task, long total, String unit) {
        if (!mode.shows()) {
            return NONE;
        }
        return new ProgressDisplay(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setConsumer(new ConsoleProgressBarConsumer(stderr))
                .continuousUpdate()
                .build().setExtraMessage(" | 0 failed"));
    }

    /** One unit of work done; a failed one is counted and shown. */
    void step(boolean succeeded) {
        if (bar == null) {
            return;
        }
        if (!succeeded) {
            bar.setExtraMessage(" | " + failed.incrementAndGet() + " failed");
        }
        bar.step();
    }

    boolean showing() {
        return bar != null;
    }

    /** How long the work has run. */
    Duration elapsed() {
        return bar == null ? Duration.ZERO : bar.getTotalElapsed();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Work whose length is unknown. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} on this thread; if it is still running after {@code quiet}, shows {@code task} with the time
     * it has taken until it ends. Short work shows nothing.
     */
    static <T, E extends Exception> T whileRunning(Mode mode, PrintStream stderr, String task, Duration quiet,
                                                   Work<T, E> work) throws E {
        if (!mode.shows()) {
            return work.run();
        }
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "quiver-progress");
                    thread.setDaemon(true);
                    return thread;
                });
        java.util.concurrent.atomic.AtomicReference<ProgressDisplay> shown =
                new java.util.concurrent.atomic.AtomicReference<>();
        timer.schedule(() -> shown.set(start(mode, stderr, task, -1, "")), quiet.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            return work.run();
        } finally {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ProgressDisplay display = shown.get();
            if (display != null) {
                display.close();
            }
        }
    }
}

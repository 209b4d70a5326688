package dev.quiver.runner.plugins;

import java.util.concurrent.CompletableFuture;

/**
 * Counts the executions running on one loaded plugin, so that a plugin being removed or replaced is unloaded only
 * once the last of them has finished. Once retired, it admits no new execution.
 */
public final class InFlight {

    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int running;
    private boolean retired;

    /** Admits one execution; false when the plugin is retired. Pair each true with {@link #exit()}. */
    public synchronized boolean enter() {
        if (retired) {
            return false;
        }
        running++;
        return true;
    }

    /** Ends an execution admitted by {@link #enter()}. */
    public synchronized void exit() {
        running--;
        if (retired && running == 0) {
            drained.complete(null);
        }
    }

    /** Admits no more executions; completes when the running ones have finished. */
    synchronized CompletableFuture<Void> retire() {
        retired = true;
        if (running == 0) {
            drained.complete(null);
        }
        return drained;
    }

    public synchronized int running() {
        return running;
    }
}

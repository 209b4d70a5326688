package dev.quiver.runner.testing.faulty;

import org.pf4j.Plugin;

/** A plugin whose start fails, packed by {@code PluginArchives.failsOnStartPlugin}. */
public class FailsOnStartPlugin extends Plugin {
    @Override
    public void start() {
        throw new IllegalStateException("refuses to start");
    }
}

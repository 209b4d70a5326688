package dev.quiver.runner.plugins;

import org.pf4j.Plugin;

/** A plugin whose start fails, packed into a test archive by {@link PluginHostTest}. */
public class ThrowingPlugin extends Plugin {
    @Override
    public void start() {
        throw new IllegalStateException("refuses to start");
    }
}

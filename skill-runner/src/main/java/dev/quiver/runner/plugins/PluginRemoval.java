package dev.quiver.runner.plugins;

import java.util.concurrent.CompletableFuture;

/**
 * A removal under way.
 *
 * @param plugin   the plugin removed
 * @param unloaded completes once the plugin's last execution has finished and it is unloaded
 */
public record PluginRemoval(LoadedPlugin plugin, CompletableFuture<Void> unloaded) {
}

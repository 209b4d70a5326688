package dev.quiver.runner.catalog;

/**
 * A skill (or other extension) a plugin offered that the catalogue refused.
 *
 * @param pluginId the plugin that offered it
 * @param what     the skill id, or the extension's class name when it has no usable id
 * @param reason   why it was refused
 */
public record Rejection(String pluginId, String what, String reason) {
}

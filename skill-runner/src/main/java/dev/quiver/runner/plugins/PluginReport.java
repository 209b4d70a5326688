package dev.quiver.runner.plugins;

/**
 * What became of one plugin archive or folder found in a plugins folder.
 *
 * @param id      the plugin id, or the file name when the archive has no readable descriptor
 * @param version the plugin version, or {@code null}
 * @param path    where it was found
 * @param state   {@code started}, or {@code failed} / {@code disabled} with a reason
 * @param reason  why it is not started, or {@code null}
 */
public record PluginReport(String id, String version, String path, String state, String reason) {

    public boolean started() {
        return "started".equals(state);
    }
}

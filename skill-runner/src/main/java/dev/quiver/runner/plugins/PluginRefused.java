package dev.quiver.runner.plugins;

/** A plugin archive that did not load or start, with the report that says why. */
public final class PluginRefused extends Exception {

    private final transient PluginReport report;

    public PluginRefused(PluginReport report) {
        super(report.reason(), null, false, false);
        this.report = report;
    }

    public PluginReport report() {
        return report;
    }
}

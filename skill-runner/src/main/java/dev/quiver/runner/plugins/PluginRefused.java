package dev.quiver.runner.plugins;

import java.util.List;
import java.util.Map;

/** A plugin archive that did not load or start, with the report that says why. */
public final class PluginRefused extends Exception {

    /** What kind of refusal, so that a caller can answer each as it should (a status, a flag to suggest). */
    public enum Kind {
        /** Not a plugin, or one that does not load, start or pass the checks. */
        INVALID,
        /** Expands to more bytes than {@link ArchiveLimits} allow. */
        TOO_LARGE,
        /** A version not newer than the one installed, without the admin asking for it. */
        NOT_NEWER
    }

    private final transient PluginReport report;
    private final Kind kind;
    private final transient List<Map<String, Object>> details;

    public PluginRefused(PluginReport report) {
        this(report, Kind.INVALID, List.of());
    }

    /**
     * @param details structured facts for the error object's {@code details} (a field and its rule, a limit, the
     *                versions and the override that would allow the install)
     */
    public PluginRefused(PluginReport report, Kind kind, List<Map<String, Object>> details) {
        super(report.reason(), null, false, false);
        this.report = report;
        this.kind = kind;
        this.details = List.copyOf(details);
    }

    public PluginReport report() {
        return report;
    }

    public Kind kind() {
        return kind;
    }

    public List<Map<String, Object>> details() {
        return details;
    }

    /**
     * For {@link Kind#NOT_NEWER}: the install option that would allow it ({@code allow_downgrade} or {@code force}),
     * named as the query parameter is; empty otherwise.
     */
    public java.util.Optional<String> override() {
        return details.stream().map(d -> d.get("override")).filter(String.class::isInstance).map(String.class::cast)
                .findFirst();
    }
}

package dev.quiver.runner.plugins;

import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which version of a plugin may replace the started one with the same id. By default only a newer one: an older
 * archive silently replacing a newer one is how a fixed bug comes back. Versions are compared as semantic versions
 * (pf4j's {@link DefaultVersionManager}), so 0.10.0 is newer than 0.9.0 and 1.0.0 newer than 1.0.0-rc.1; build
 * metadata does not count, so 1.0.0+a and 1.0.0+b are the same version.
 *
 * @param allowDowngrade an older version may replace the started one
 * @param force          the same version may replace the started one (a reinstall)
 */
public record InstallPolicy(boolean allowDowngrade, boolean force) {

    /** An install replaces only an older version. */
    public static final InstallPolicy NEWER_ONLY = new InstallPolicy(false, false);

    /** Any version replaces: for plugins found at start, where a duplicate id is reported rather than compared. */
    public static final InstallPolicy ANY_VERSION = new InstallPolicy(true, true);

    private static final VersionManager VERSIONS = new DefaultVersionManager();

    /**
     * Refuses to replace {@code installed} with {@code version} of the same plugin unless this policy allows it.
     *
     * @param version a version already checked by {@link PluginIdentity}
     */
    void check(String id, String version, Optional<LoadedPlugin> installed, Path archive) throws PluginRefused {
        if (installed.isEmpty()) {
            return;
        }
        String current = installed.get().version();
        int order = VERSIONS.compareVersions(version, current); // both passed PluginIdentity when staged
        if (order < 0 && !allowDowngrade) {
            throw refusal(id, version, current, archive, version + " is older than the installed " + current,
                    "allow_downgrade");
        }
        if (order == 0 && !force) {
            throw refusal(id, version, current, archive, version + " is already installed"
                    + (version.equals(current) ? "" : " (as " + current + ")"), "force");
        }
    }

    private static PluginRefused refusal(String id, String version, String current, Path archive, String what,
                                         String override) {
        return new PluginRefused(new PluginReport(id, version, archive.toString(), "failed",
                "plugin " + id + " " + what), PluginRefused.Kind.NOT_NEWER,
                List.of(Map.of("plugin", id, "installed", current, "uploaded", version, "override", override)));
    }
}

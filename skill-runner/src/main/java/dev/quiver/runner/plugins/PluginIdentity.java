package dev.quiver.runner.plugins;

import org.pf4j.PluginDescriptor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules a plugin's id and version must follow. Both come from the archive (its {@code plugin.properties} or
 * manifest), that is from whoever wrote it, and both become part of a file name in the plugins folder
 * ({@code <id>-<version>.zip}) and of {@code removed.txt}; so they are checked before either touches a path. An id
 * of {@code ../../../../tmp/x} once put an archive outside the home.
 */
public final class PluginIdentity {

    /** Lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit; 1 to 64. */
    public static final String ID_RULE = "^[a-z0-9][a-z0-9._-]{0,63}$";

    /** A semantic version (semver.org 2.0.0), at most 64 characters. */
    public static final String VERSION_RULE = "a semantic version MAJOR.MINOR.PATCH with an optional -PRERELEASE and"
            + " +BUILD (semver.org), at most 64 characters";

    private static final Pattern ID = Pattern.compile(ID_RULE);
    private static final String IDENTIFIER = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern VERSION = Pattern.compile("^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)"
            + "(?:-" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*)?"
            + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$");
    private static final int MAX_VERSION_LENGTH = 64;
    /** How much of a refused value a message quotes: enough to recognise it, not a page of the attacker's text. */
    private static final int QUOTED = 80;

    private PluginIdentity() {
    }

    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static boolean validVersion(String version) {
        return version != null && version.length() <= MAX_VERSION_LENGTH && VERSION.matcher(version).matches();
    }

    /** Refuses {@code descriptor} unless its id and version follow the rules. */
    static void check(PluginDescriptor descriptor, Path archive) throws PluginRefused {
        String id = descriptor.getPluginId();
        if (!validId(id)) {
            throw refusal(archive, "plugin.id", "Plugin-Id", id, ID_RULE, "does not match " + ID_RULE);
        }
        String version = descriptor.getVersion();
        if (!validVersion(version)) {
            throw refusal(archive, "plugin.version", "Plugin-Version", version, VERSION_RULE, "is not " + VERSION_RULE);
        }
    }

    private static PluginRefused refusal(Path archive, String field, String manifestField, String value, String rule,
                                         String broken) {
        String quoted = value == null ? "(none)" : "'" + (value.length() > QUOTED ? value.substring(0, QUOTED) + "..."
                : value) + "'";
        String name = archive.getFileName().toString();
        return new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                "the " + field + " (" + manifestField + " in a manifest) " + quoted + " " + broken),
                PluginRefused.Kind.INVALID, List.of(Map.of("field", field, "rule", rule)));
    }
}

package dev.quiver.runner.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Quiver's version as the pom states it: the build writes it into {@code version.properties} beside this class, so the
 * CLI's {@code --version}, {@code /health}, the User-Agent and the MCP server's info cannot drift from the release.
 */
public final class QuiverVersion {

    /** The version of this build, such as {@code 0.1.0}. */
    public static final String VALUE = read();

    private QuiverVersion() {
    }

    private static String read() {
        try (InputStream in = QuiverVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing: the runner was not built by Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("version.properties was not filled in by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

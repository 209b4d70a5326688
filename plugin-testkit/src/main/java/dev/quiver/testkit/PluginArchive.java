package dev.quiver.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a plugin archive in the layout the runner loads (pf4j's zip: {@code plugin.properties} at the root, the
 * plugin's jar and its own libraries in {@code lib/}), for tests that install a plugin as an operator would. Never
 * put the plugin API, pf4j, Jackson or slf4j in {@code lib/}: the runner supplies them.
 */
public final class PluginArchive {

    private final String id;
    private final String version;
    private final String pluginClass;
    private String requires = ">=" + dev.quiver.api.ApiVersion.CURRENT + " & <2.0.0";
    private String provider = "test";
    private final List<Path> jars = new ArrayList<>();
    private final List<Path> classDirs = new ArrayList<>();

    private PluginArchive(String id, String version, String pluginClass) {
        this.id = id;
        this.version = version;
        this.pluginClass = pluginClass;
    }

    /** An archive of plugin {@code id} at {@code version}; {@code pluginClass} may be empty for none. */
    public static PluginArchive of(String id, String version, String pluginClass) {
        return new PluginArchive(id, version, pluginClass);
    }

    /** The {@code Plugin-Requires} expression (default: this API's major version). */
    public PluginArchive requires(String expression) {
        this.requires = expression;
        return this;
    }

    public PluginArchive provider(String name) {
        this.provider = name;
        return this;
    }

    /** A jar for {@code lib/}. */
    public PluginArchive jar(Path jar) {
        jars.add(jar);
        return this;
    }

    /** A classes folder (with its {@code META-INF/extensions.idx}), packed as {@code lib/<id>.jar}. */
    public PluginArchive classes(Path dir) {
        classDirs.add(dir);
        return this;
    }

    /** Writes the archive to {@code zip} and returns it. */
    public Path write(Path zip) throws IOException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("plugin.properties"));
            out.write(("plugin.id=" + id + "\nplugin.version=" + version + "\nplugin.class=" + pluginClass
                    + "\nplugin.provider=" + provider + "\nplugin.requires=" + requires + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (Path jar : jars) {
                out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                Files.copy(jar, out);
                out.closeEntry();
            }
            for (int i = 0; i < classDirs.size(); i++) {
                out.putNextEntry(new ZipEntry("lib/" + id + (i == 0 ? "" : "-" + i) + ".jar"));
                jarOf(classDirs.get(i), out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private static void jarOf(Path dir, OutputStream target) throws IOException {
        ZipOutputStream jar = new ZipOutputStream(target);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
        jar.finish();
    }
}

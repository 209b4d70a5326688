package dev.quiver.runner.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Plugin archives for tests: the real built Cloudflare plugin, and hand-made zips. */
public final class PluginArchives {

    private PluginArchives() {
    }

    /** The Cloudflare plugin zip the build copied to target/plugins. */
    public static Path cloudflarePlugin() throws IOException {
        Path dir = Path.of(System.getProperty("quiver.test.plugins", "target/plugins"));
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("cloudflare-skills")
                            && p.getFileName().toString().endsWith(".zip"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cloudflare-skills zip in " + dir
                            + ": run the build (mvn verify) so the plugin archive is copied there"));
        }
    }

    /** Copies the Cloudflare plugin into {@code pluginsDir} and returns the copy. */
    public static Path installCloudflarePlugin(Path pluginsDir) throws IOException {
        Files.createDirectories(pluginsDir);
        Path source = cloudflarePlugin();
        return Files.copy(source, pluginsDir.resolve(source.getFileName()));
    }

    /** Writes a zip of {@code entries} (path to bytes). */
    public static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** plugin.properties text. */
    public static byte[] properties(String id, String pluginClass, String requires) {
        return properties(id, "1.0.0", pluginClass, requires);
    }

    public static byte[] properties(String id, String version, String pluginClass, String requires) {
        return ("plugin.id=" + id + "\nplugin.version=" + version + "\nplugin.class=" + pluginClass
                + "\nplugin.provider=test\nplugin.requires=" + requires + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A plugin {@code probe} at {@code version} whose one skill, {@code probe_plugin_version}, answers with
     * {@code version}, read from a file in the archive.
     */
    public static Path probePlugin(Path file, String version) throws IOException {
        return probePlugin(file, "probe", version);
    }

    /** {@link #probePlugin(Path, String)} under another plugin id (the descriptor's {@code plugin.id}). */
    public static Path probePlugin(Path file, String id, String version) throws IOException {
        return zip(file, probeEntries(id, version, "classes/"));
    }

    /**
     * The probe plugin as a jar whose descriptor is its manifest ({@code Plugin-Id}, {@code Plugin-Version}), the
     * other descriptor pf4j reads.
     */
    public static Path probeJar(Path file, String id, String version) throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", ("Manifest-Version: 1.0\nPlugin-Id: " + id + "\nPlugin-Version: " + version
                + "\nPlugin-Provider: test\nPlugin-Requires: >=0.1.0\n\n").getBytes(StandardCharsets.UTF_8));
        probeEntries(id, version, "").forEach((name, bytes) -> {
            if (!name.equals("plugin.properties")) {
                entries.put(name, bytes);
            }
        });
        return zip(file, entries);
    }

    /**
     * The probe plugin {@code probe} 1.0.0 with one more entry, {@code classes/zeros.bin}, of {@code expandedBytes}
     * zeros: a zip bomb (1 GiB of zeros packs into about 4.5 MB at the fastest compression level).
     */
    public static Path probeBomb(Path file, long expandedBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
            for (Map.Entry<String, byte[]> entry : probeEntries("probe", "1.0.0", "classes/").entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("classes/zeros.bin"));
            byte[] zeros = new byte[1 << 20];
            for (long left = expandedBytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            zip.closeEntry();
        }
        return file;
    }

    /**
     * Rewrites the zip at {@code zip} so that its central directory declares every entry to expand to
     * {@code size} bytes, whatever it really inflates to: the lie a zip bomb tells a reader that trusts it.
     */
    public static Path declaringSize(Path zip, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 28 <= bytes.length; i++) {
            if (buffer.getInt(i) == 0x02014b50) { // a central directory header; the uncompressed size is at +24
                buffer.putInt(i + 24, size);
            }
        }
        return Files.write(zip, bytes);
    }

    /** The probe plugin {@code probe} 1.0.0 padded with empty files up to {@code entries} entries in all. */
    public static Path probeWithEntries(Path file, int entries) throws IOException {
        Map<String, byte[]> all = new java.util.LinkedHashMap<>(probeEntries("probe", "1.0.0", "classes/"));
        for (int i = 0; all.size() < entries; i++) {
            all.put("classes/padding/" + i + ".txt", new byte[0]);
        }
        return zip(file, all);
    }

    private static Map<String, byte[]> probeEntries(String id, String version, String classes) throws IOException {
        Class<?> skill = dev.quiver.runner.testing.probe.ProbeSkill.class;
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("plugin.properties", properties(id, version, "", ">=0.1.0"));
        entries.put(classes + classFile(skill), classBytes(skill));
        entries.put(classes + "META-INF/extensions.idx", (skill.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put(classes + "probe-version.txt", version.getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    /**
     * A plugin {@code faulty} whose skills misbehave ({@link dev.quiver.runner.testing.faulty.FaultySkills}):
     * {@code fault_throws}, {@code fault_hangs} (ignores its deadline) and {@code fault_bad_output}.
     */
    public static Path faultyPlugin(Path file) throws IOException {
        Class<?> holder = dev.quiver.runner.testing.faulty.FaultySkills.class;
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("plugin.properties", properties("faulty", "1.0.0", "", ">=0.1.0"));
        StringBuilder index = new StringBuilder();
        entries.put("classes/" + classFile(holder), classBytes(holder));
        for (Class<?> skill : holder.getDeclaredClasses()) {
            entries.put("classes/" + classFile(skill), classBytes(skill));
            index.append(skill.getName()).append('\n');
        }
        entries.put("classes/META-INF/extensions.idx", index.toString().getBytes(StandardCharsets.UTF_8));
        return zip(file, entries);
    }

    /** A plugin whose {@code Plugin.start()} throws. */
    public static Path failsOnStartPlugin(Path file, String id) throws IOException {
        Class<?> plugin = dev.quiver.runner.testing.faulty.FailsOnStartPlugin.class;
        return zip(file, Map.of(
                "plugin.properties", properties(id, plugin.getName(), ">=0.1.0"),
                "classes/" + classFile(plugin), classBytes(plugin)));
    }

    private static String classFile(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }

    private static byte[] classBytes(Class<?> type) throws IOException {
        try (var in = type.getClassLoader().getResourceAsStream(classFile(type))) {
            return in.readAllBytes();
        }
    }
}

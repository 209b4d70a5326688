package dev.quiver.runner.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Plugin archive file work: kinds, digests, and expansion into a private folder. */
public final class Archives {

    private Archives() {
    }

    static boolean isZip(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    static boolean isJar(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Throws when {@code file} is not a readable zip or jar. */
    static void checkReadable(Path file) throws IOException {
        try (ZipFile ignored = new ZipFile(file.toFile())) {
            // readable
        }
    }

    /**
     * Puts a private copy of the plugin at {@code archive} in the new folder {@code target}: a zip expanded, a jar
     * copied, a folder used where it is. A fresh folder for every load means no class ever comes from an earlier
     * version's files (pf4j expands a zip only when the zip is newer than its folder: pf4j#495).
     *
     * @return the path pf4j loads the plugin from
     */
    static Path privateCopy(Path archive, Path target) throws IOException {
        if (Files.isDirectory(archive)) {
            return archive;
        }
        Files.createDirectories(target);
        dev.quiver.runner.store.AtomicFiles.ownerOnly(target.getParent());
        if (isJar(archive)) {
            return Files.copy(archive, target.resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry " + entry.getName() + " points outside the archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a later start cleans what is left
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}

package dev.quiver.runner.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * version's files (pf4j expands a zip only when the zip is newer than its folder: pf4j#495). Everything is
     * created owner-only. An archive past {@code limits} is refused while it is read, before anything past the
     * limit is written, and a refused copy leaves nothing behind.
     *
     * @return the path pf4j loads the plugin from
     * @throws ArchiveLimits.Exceeded when the archive has too many entries or expands to too many bytes
     */
    static Path privateCopy(Path archive, Path target, ArchiveLimits limits) throws IOException {
        if (Files.isDirectory(archive)) {
            return archive;
        }
        Path folder = target.toAbsolutePath().normalize();
        OwnerOnly.createDirectories(folder);
        try {
            if (isJar(archive)) {
                // pf4j reads a jar in place, but its manifest and classes are inflated into memory all the same
                expand(archive, null, limits);
                Path copy = folder.resolve(archive.getFileName());
                OwnerOnly.copy(archive, copy);
                return copy;
            }
            expand(archive, folder, limits);
            return folder;
        } catch (IOException | RuntimeException e) {
            deleteTree(folder);
            throw e;
        }
    }

    /** Expands {@code archive} into {@code folder}, or when it is {@code null} only inflates it to count. */
    private static void expand(Path archive, Path folder, ArchiveLimits limits) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            limits.checkEntries(zip.size()); // the central directory's count, before anything is written
            ArchiveLimits.Budget budget = limits.budget();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            for (int count = 1; entries.hasMoreElements(); count++) {
                limits.checkEntries(count); // and the entries actually met, should the two ever differ
                ZipEntry entry = entries.nextElement();
                Path out = folder == null ? null : folder.resolve(entry.getName()).normalize();
                if (out != null && !out.startsWith(folder)) {
                    throw new IOException("archive entry " + entry.getName() + " points outside the archive");
                }
                if (entry.isDirectory()) {
                    if (out != null) {
                        OwnerOnly.createDirectories(out);
                    }
                    continue;
                }
                if (out != null) {
                    OwnerOnly.createDirectories(out.getParent());
                }
                try (InputStream in = zip.getInputStream(entry);
                     OutputStream copy = out == null ? OutputStream.nullOutputStream() : OwnerOnly.newFile(out)) {
                    budget.copy(in, copy);
                }
            }
        }
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

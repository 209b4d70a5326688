package dev.quiver.runner.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Plugin files only the service's user can read or change: an archive is code the service runs, so whoever can
 * replace one runs code as the service. Files are created with these permissions rather than narrowed afterwards,
 * so there is no moment at which another user could open them. Where the file system has no POSIX permissions
 * (Windows), files inherit the home folder's owner-only ACL.
 */
public final class OwnerOnly {

    private static final FileAttribute<?> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {
    }

    /** Creates {@code dir} and any missing parent owner-only, and narrows {@code dir} itself if it existed. */
    public static Path createDirectories(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
        dev.quiver.runner.files.AtomicFiles.ownerOnly(dir);
        return dir;
    }

    /** Opens {@code file} for writing, created owner-only (an existing file is truncated and narrowed). */
    static OutputStream newFile(Path file) throws IOException {
        var options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(posix(file) ? Files.newByteChannel(file, options, FILE)
                : Files.newByteChannel(file, options));
        dev.quiver.runner.files.AtomicFiles.ownerOnly(file);
        return out;
    }

    /** Writes {@code bytes} to {@code file}, created owner-only. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = newFile(file)) {
            out.write(bytes);
        }
    }

    /** Copies {@code source} to {@code target}, created owner-only. */
    static void copy(Path source, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(source); OutputStream out = newFile(target)) {
            in.transferTo(out);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

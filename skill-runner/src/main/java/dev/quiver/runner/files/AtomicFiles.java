package dev.quiver.runner.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that a crash cannot leave half done: the bytes go to an owner-only temporary file beside the target, are
 * forced to disk, and replace the target in one rename. A reader sees the old file or the new one, never a mix.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = temp(target);
        writeForced(temp, bytes);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(target.getParent());
    }

    /**
     * Writes {@code target} as {@link #write} does, but only if it does not exist yet: the complete file appears
     * under its name in one link, so of two concurrent writers exactly one wins and the other gets false.
     */
    public static boolean writeNew(Path target, byte[] bytes) throws IOException {
        Path temp = temp(target);
        try {
            writeForced(temp, bytes);
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException noHardLinks) {
                return createNew(target, bytes);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(target.getParent());
        return true;
    }

    /** Creates {@code target} with {@code bytes} only if it does not exist yet; false when it did. */
    public static boolean createNew(Path target, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ownerOnly(target);
            channel.write(ByteBuffer.wrap(bytes));
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        forceDirectory(target.getParent());
        return true;
    }

    private static Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
    }

    private static void writeForced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ownerOnly(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    public static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                    Files.isDirectory(file) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the owner-only ACL of the home folder
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is then left to the OS. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: e.g. Windows cannot open a directory as a channel
        }
    }
}

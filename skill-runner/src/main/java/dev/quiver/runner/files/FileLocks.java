package dev.quiver.runner.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Mutual exclusion on a lock file across processes and threads. An OS file lock keeps other processes out but is
 * held per JVM (a second lock from the same JVM throws), so threads of this JVM first queue on one monitor per file.
 */
public final class FileLocks {

    private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** Work done while holding the lock. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding the exclusive lock on {@code lockFile} (created owner-only when absent). */
    public static <T> T withLock(Path lockFile, Locked<T> work) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        synchronized (MONITORS.computeIfAbsent(key, k -> new Object())) {
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                AtomicFiles.ownerOnly(key);
                return work.run();
            }
        }
    }
}

package dev.quiver.runner.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Values read from files, read again only when the file changed. A file's version is told by its identity (inode),
 * modification time and size, without reading it; every write of the stores makes a new file (temp + rename or
 * link), so a rewrite always changes the identity. Thread-safe.
 *
 * @param <V> what is read from a file
 */
public final class FileCache<V> {

    /** Reads a value from a file. */
    @FunctionalInterface
    public interface Reader<V, E extends Exception> {
        V read(Path file) throws E;
    }

    private record Stamp(Object fileKey, FileTime modified, long size) {
    }

    private record Entry<V>(Stamp stamp, V value) {
    }

    private final ConcurrentMap<Path, Entry<V>> entries = new ConcurrentHashMap<>();

    /**
     * The value of {@code file}: the one read before while the file is unchanged, else read now by {@code reader}.
     *
     * @return empty when there is no regular file at {@code file}
     */
    public <E extends Exception> Optional<V> get(Path file, Reader<V, E> reader) throws E {
        Optional<Stamp> stamp = stamp(file);
        if (stamp.isEmpty()) {
            entries.remove(file);
            return Optional.empty();
        }
        Entry<V> cached = entries.get(file);
        if (cached != null && cached.stamp().equals(stamp.get())) {
            return Optional.of(cached.value());
        }
        // Stamped before reading: a file changed meanwhile is read again on the next call, never kept stale.
        V value = reader.read(file);
        entries.put(file, new Entry<>(stamp.get(), value));
        return Optional.of(value);
    }

    /** Drops what was read from {@code file}. */
    public void forget(Path file) {
        entries.remove(file);
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size()))
                    : Optional.empty();
        } catch (IOException absent) {
            return Optional.empty();
        }
    }
}

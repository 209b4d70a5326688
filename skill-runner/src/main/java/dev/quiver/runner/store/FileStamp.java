package dev.quiver.runner.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What tells one version of a file from another without reading it: its identity (inode), modification time and
 * size. A value read from a file may be kept while the file's stamp is unchanged; every write of the stores makes a
 * new file (temp + rename or link), so a rewrite always changes the identity.
 */
public record FileStamp(Object fileKey, FileTime modified, long size) {

    /** The stamp of a regular file, or empty when there is none at {@code file}. */
    public static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new FileStamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size()))
                    : Optional.empty();
        } catch (IOException absent) {
            return Optional.empty();
        }
    }
}

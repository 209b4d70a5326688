package dev.quiver.runner.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCacheTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReadOnceWhileUnchangedAgainOnceReplacedAndNotAtAllOnceGone() throws Exception {
        FileCache<String> cache = new FileCache<>();
        AtomicInteger reads = new AtomicInteger();
        FileCache.Reader<String, Exception> reader = file -> {
            reads.incrementAndGet();
            return Files.readString(file);
        };
        Path file = Files.writeString(dir.resolve("c.json"), "one");

        assertEquals(Optional.of("one"), cache.get(file, reader));
        assertEquals(Optional.of("one"), cache.get(file, reader));
        assertEquals(1, reads.get(), "unchanged: not read again");

        Path replacement = Files.writeString(dir.resolve("c.json.tmp"), "two");
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Optional.of("two"), cache.get(file, reader), "a file written as the stores write is read again");

        Files.delete(file);
        assertTrue(cache.get(file, reader).isEmpty());
        assertEquals(2, reads.get());
    }
}

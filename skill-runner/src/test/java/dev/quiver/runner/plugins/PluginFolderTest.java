package dev.quiver.runner.plugins;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugins folder as files, without pf4j: what counts as a candidate, removals, and abandoned copies. */
class PluginFolderTest {

    @TempDir
    Path dir;

    @Test
    void candidatesAreArchivesAndPluginFoldersByNameSkippingHiddenFilesAndPf4jsExpansionOfAZip() throws IOException {
        Files.write(dir.resolve("b.zip"), new byte[] {'P', 'K', 3, 4});
        Files.write(dir.resolve("a.jar"), new byte[] {'P', 'K', 3, 4});
        Files.writeString(dir.resolve("notes.txt"), "not a plugin");
        Files.createDirectories(dir.resolve(".work"));
        Files.createDirectories(dir.resolve("b")); // pf4j's expansion of b.zip
        Files.writeString(dir.resolve("b/plugin.properties"), "plugin.id=b");
        Files.createDirectories(dir.resolve("c"));
        Files.writeString(dir.resolve("c/plugin.properties"), "plugin.id=c");

        assertEquals(List.of("a.jar", "b.zip", "c"), PluginFolder.candidates(dir).stream()
                .map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of(), PluginFolder.candidates(dir.resolve("absent")));
    }

    @Test
    void aRemovalIsRememberedAcrossInstancesUntilForgotten() throws IOException {
        new PluginFolder(dir).rememberRemoved("lantern");
        assertEquals(Set.of("lantern"), new PluginFolder(dir).removedIds());
        new PluginFolder(dir).forgetRemoved("lantern");
        assertEquals(Set.of(), new PluginFolder(dir).removedIds());
    }

    @Test
    void copiesOfADeadProcessAreCleanedAndThoseOfALiveOneKept() throws IOException {
        long live = ProcessHandle.current().pid();
        Path ours = Files.createDirectories(dir.resolve(".work/" + live + "-1"));
        Path dead = Files.createDirectories(dir.resolve(".work/" + Long.MAX_VALUE / 2 + "-1"));
        new PluginFolder(dir).cleanAbandonedWork();
        assertTrue(Files.isDirectory(ours));
        assertFalse(Files.exists(dead));
    }
}

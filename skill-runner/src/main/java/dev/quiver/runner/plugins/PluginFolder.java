package dev.quiver.runner.plugins;

import dev.quiver.runner.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The home's plugins folder as files: the archives found in a plugins folder, the archives kept there by an install,
 * the list of plugins removed that live elsewhere ({@code removed.txt}), and the private copies plugins are loaded
 * from ({@code .work/<pid>-…}), cleaned when their process is gone. Knows nothing of pf4j.
 */
final class PluginFolder {

    private static final Logger log = LoggerFactory.getLogger(PluginFolder.class);
    private static final String REMOVED = "removed.txt";
    private static final AtomicInteger COPIES = new AtomicInteger();

    private final Path installDir;
    private final Path workDir;

    /** @param installDir the home's plugins folder, or {@code null} when nothing is installed (plugins load in place) */
    PluginFolder(Path installDir) {
        this.installDir = installDir;
        this.workDir = installDir == null ? null : installDir.resolve(".work").resolve(ProcessHandle.current().pid()
                + "-" + Long.toHexString(System.nanoTime()));
    }

    /** A fresh folder for one load's private copy of {@code archive}, or {@code null} when plugins load in place. */
    Path workFor(Path archive) {
        return workDir == null ? null : workDir.resolve(Archives.stem(archive) + "-" + COPIES.incrementAndGet());
    }

    /** Deletes this process's private copies. */
    void deleteWork() {
        Archives.deleteTree(workDir);
    }

    /** Whether {@code archive} is one kept in the install folder (rather than found in another plugins folder). */
    boolean installed(Path archive) {
        return installDir != null && archive.toAbsolutePath().normalize().getParent()
                .equals(installDir.toAbsolutePath().normalize());
    }

    /** Keeps {@code staged}'s archive in the install folder as {@code <id>-<version>.zip|jar}, atomically. */
    Path keep(LoadedPlugin staged) throws IOException {
        if (installDir == null || installed(staged.archive())) {
            return staged.archive();
        }
        if (Files.isDirectory(staged.archive())) {
            throw new IOException("only a zip or jar can be installed, not a folder");
        }
        OwnerOnly.createDirectories(installDir);
        // The id and version passed PluginIdentity when staged; this only makes sure no name ever leaves the folder.
        Path target = installDir.resolve(staged.id() + "-" + staged.version()
                + (Archives.isJar(staged.archive()) ? ".jar" : ".zip"));
        if (!target.normalize().getParent().equals(installDir.normalize())) {
            throw new IOException("the archive's name " + target.getFileName() + " is not a plain file name");
        }
        Path temp = installDir.resolve(".incoming-" + target.getFileName() + "-" + COPIES.incrementAndGet());
        try {
            OwnerOnly.copy(staged.archive(), temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** The ids removed with {@code plugins remove} whose archives live outside the install folder. */
    Set<String> removedIds() {
        Path file = installDir == null ? null : installDir.resolve(REMOVED);
        try {
            return file != null && Files.isRegularFile(file)
                    ? new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList())
                    : new LinkedHashSet<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void rememberRemoved(String id) throws IOException {
        Set<String> ids = removedIds();
        if (ids.add(id)) {
            writeRemoved(ids);
        }
    }

    void forgetRemoved(String id) throws IOException {
        Set<String> ids = removedIds();
        if (ids.remove(id)) {
            writeRemoved(ids);
        }
    }

    private void writeRemoved(Set<String> ids) throws IOException {
        Files.createDirectories(installDir);
        AtomicFiles.write(installDir.resolve(REMOVED), ("# plugins removed with 'plugins"
                + " remove' that live outside this folder\n" + String.join("\n", ids) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    // Archives are code the service runs: an older Quiver left the folder readable by others (umask); narrow it.
    void narrow() {
        if (installDir == null) {
            return;
        }
        for (Path dir : List.of(installDir, installDir.resolve(".work"), installDir.resolve(".uploads"))) {
            try {
                if (Files.isDirectory(dir)) {
                    AtomicFiles.ownerOnly(dir);
                }
            } catch (IOException e) {
                log.warn("cannot make {} owner-only: {}", dir, e.toString());
            }
        }
    }

    // Private copies of processes that are gone (a crash leaves them behind).
    void cleanAbandonedWork() {
        if (installDir == null || !Files.isDirectory(installDir.resolve(".work"))) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(installDir.resolve(".work"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                int dash = name.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? name.substring(0, dash) : name);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException ignored) {
                    // not ours: remove
                }
                Archives.deleteTree(dir);
            }
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", installDir.resolve(".work"), e.toString());
        }
    }

    /** The archives and plugin folders in a plugins folder, by name; pf4j's old expansions of a zip are skipped. */
    static List<Path> candidates(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isRegularFile(file) && (Archives.isZip(file) || Archives.isJar(file))) {
                    found.add(file);
                } else if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("plugin.properties"))
                        && !Files.exists(root.resolve(name + ".zip"))) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list plugins folder {}: {}", root, e.getMessage());
        }
        found.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return found;
    }
}

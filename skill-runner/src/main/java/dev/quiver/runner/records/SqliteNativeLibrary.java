package dev.quiver.runner.records;

import dev.quiver.runner.files.AtomicFiles;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * sqlite-jdbc's native library, kept extracted in the home. Left to itself, sqlite-jdbc writes its 1.1 MB library to
 * the temporary folder on every start and reads it back to compare: most of what opening the records cost a start
 * (about a fifth of {@code serve}'s main thread in a profile), for a file that never changes within a version.
 * Here it is written once per sqlite-jdbc version into an owner-only folder of the home and loaded from there
 * through sqlite-jdbc's own {@code org.sqlite.lib.path} setting. The home already holds the plugins Quiver runs:
 * code there is trusted as theirs is.
 */
public final class SqliteNativeLibrary {

    static final String PATH = "org.sqlite.lib.path";
    static final String NAME = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {
    }

    /**
     * Points sqlite-jdbc at its library in {@code folder} (written there first if missing). Does nothing when the
     * operator set either property, or when anything fails: sqlite-jdbc then extracts it as it always did (and it
     * also does when the copy here does not load).
     */
    public static synchronized void useCopyIn(Path folder) {
        if (System.getProperty(PATH) != null || System.getProperty(NAME) != null) {
            return;
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
            // The version names the folder: one library per sqlite-jdbc release, whatever Quiver's version.
            Path versionFolder = folder.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion());
            Path library = versionFolder.resolve(name);
            if (!Files.isRegularFile(library)) {
                byte[] bytes;
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return; // no library for this platform in the jar: sqlite-jdbc's other ways apply
                    }
                    bytes = in.readAllBytes();
                }
                createOwnerOnly(folder);
                createOwnerOnly(versionFolder);
                // Two first starts at once: exactly one complete file appears under the name, never a partial one.
                AtomicFiles.writeNew(library, bytes);
            }
            System.setProperty(PATH, versionFolder.toAbsolutePath().toString());
            System.setProperty(NAME, name);
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc extracts it to the temporary folder, as without this class
        }
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder inherits the home's owner-only ACL
            }
        }
    }
}

package dev.quiver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.runtime.QuiverRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the benchmarks share: where the build put things, and a runtime on a throw-away home. */
final class Bench {

    private Bench() {
    }

    /** The repository root: {@code -Dquiver.root}, else the working directory. */
    static Path root() {
        return Path.of(System.getProperty("quiver.root", ".")).toAbsolutePath().normalize();
    }

    /** The built runner jar. */
    static Path runnerJar() {
        return require(root().resolve("skill-runner/target/skill-runner.jar"));
    }

    /** The folder holding the built Cloudflare plugin archive. */
    static Path pluginsDir() {
        return require(root().resolve("skill-runner/target/plugins"));
    }

    private static Path require(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: build first (mvn -B -q package -DskipTests)");
        }
        return path;
    }

    /** A runtime with the real plugin on a new home under {@code dir}, holding {@code connection}. */
    static QuiverRuntime runtime(Path dir, ObjectNode connection) throws Exception {
        QuiverRuntime runtime = QuiverRuntime.start(dir.resolve("home"), List.of(pluginsDir()), name -> null);
        runtime.connections().addRemote(connection, "benchmark");
        return runtime;
    }

    static Path tempDir(String name) throws IOException {
        return Files.createTempDirectory("quiver-bench-" + name);
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a benchmark
        }
    }
}

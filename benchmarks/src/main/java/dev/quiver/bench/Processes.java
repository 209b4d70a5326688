package dev.quiver.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child JVMs: the runner jar as a user runs it, and benchmark parts that need their own heap limit. */
final class Processes {

    private Processes() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar skill-runner.jar --home HOME --plugins PLUGINS args...}. */
    static ProcessBuilder runner(Path home, String... args) {
        return runner(List.of(), home, args);
    }

    /** {@code java JVM_OPTIONS -jar skill-runner.jar --home HOME --plugins PLUGINS args...}. */
    static ProcessBuilder runner(List<String> jvmOptions, Path home, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Bench.runnerJar().toString(),
                "--home", home.toString(), "--plugins", Bench.pluginsDir().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * {@code bin/quiver --home HOME --plugins PLUGINS args...}: the launcher that makes and uses a class-data archive
     * by itself (beside the jar), with this JVM.
     */
    static ProcessBuilder launcher(Path home, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", Bench.root().resolve("bin/quiver").toString(),
                "--home", home.toString(), "--plugins", Bench.pluginsDir().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("QUIVER_JAR", Bench.runnerJar().toString());
        builder.environment().put("JAVA", java());
        return builder;
    }

    /** A benchmark class's main in a new JVM with {@code jvmOptions}, on this JVM's class path. */
    static ProcessBuilder main(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dquiver.root=" + Bench.root(),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Runs to completion and returns stdout; fails with stderr when the exit code is not 0. */
    static String output(ProcessBuilder builder, long timeoutSeconds) throws Exception {
        File err = File.createTempFile("quiver-bench", ".err");
        try {
            Process process = builder.redirectError(err).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(builder.command() + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(builder.command() + " exited " + process.exitValue() + ": "
                        + java.nio.file.Files.readString(err.toPath()));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            err.delete();
        }
    }

    /** Wall time of one run to completion, in seconds. */
    static double time(ProcessBuilder builder) throws Exception {
        long start = System.nanoTime();
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(builder.command() + " failed or hung");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}

package dev.quiver.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3: wall time of {@code java -jar skill-runner.jar skills} and of {@code serve} until {@code /health}
 * answers 200, with the Cloudflare plugin installed, against {@code java -version} (the JVM's own start) measured
 * the same way.
 */
final class StartUp {

    private StartUp() {
    }

    static List<Report.Section> run(boolean quick) throws Exception {
        int runs = quick ? 3 : 7;
        Path dir = Bench.tempDir("startup");
        try {
            Path home = dir.resolve("home");
            Processes.time(Processes.runner(home, "skills")); // creates the home, warms the OS file cache
            // bin/quiver makes its class-data archives on first use (one for serve, one for the other commands):
            // remove any left from an earlier build, then let one run of each kind write its own.
            try (var old = java.nio.file.Files.newDirectoryStream(Bench.runnerJar().getParent(), ".quiver-*.jsa")) {
                for (Path file : old) {
                    java.nio.file.Files.delete(file);
                }
            }
            Processes.time(Processes.launcher(home, "skills"));
            serveUntilHealthy(Processes.launcher(home, "serve", "--port", "%PORT%"));
            boolean archived;
            try (var made = java.nio.file.Files.newDirectoryStream(Bench.runnerJar().getParent(), ".quiver-*.jsa")) {
                archived = made.iterator().hasNext();
            }
            long[] jvm = new long[runs];
            long[] skills = new long[runs];
            long[] serve = new long[runs];
            long[] skillsCds = new long[runs];
            long[] serveCds = new long[runs];
            for (int i = 0; i < runs; i++) {
                jvm[i] = nanos(Processes.time(new ProcessBuilder(Processes.java(), "-version")));
                skills[i] = nanos(Processes.time(Processes.runner(home, "skills")));
                serve[i] = serveUntilHealthy(List.of(), home);
                skillsCds[i] = nanos(Processes.time(Processes.launcher(home, "skills")));
                serveCds[i] = serveUntilHealthy(Processes.launcher(home, "serve", "--port", "%PORT%"));
            }
            Latencies jvmTimes = new Latencies(jvm);
            Latencies skillsTimes = new Latencies(skills);
            Latencies serveTimes = new Latencies(serve);
            String table = runs + " runs each";
            List<List<String>> rows = new ArrayList<>(List.of(
                    List.of("command", "median s", "max s", "ratio to `java -version`"),
                    row("`java -version` (baseline)", jvmTimes, jvmTimes),
                    row("`java -jar skill-runner.jar skills`", skillsTimes, jvmTimes),
                    row("`serve` until `/health` is 200", serveTimes, jvmTimes)));
            rows.add(row("`bin/quiver skills` (archive " + (archived ? "made by its first run" : "NOT made") + ")",
                    new Latencies(skillsCds), jvmTimes));
            rows.add(row("`bin/quiver serve` until `/health` is 200", new Latencies(serveCds), jvmTimes));
            // The targets are measured as Quiver is started: through bin/quiver, which uses its archive.
            double skillsSeconds = new Latencies(skillsCds).medianMillis() / 1000;
            double serveSeconds = new Latencies(serveCds).medianMillis() / 1000;
            String description = "Fresh JVMs, home created beforehand, Cloudflare plugin from the build; " + table
                    + ". `serve` is timed from the process start to the first 200 from `/health` (polled every 5 ms)."
                    + " The `bin/quiver` rows (the targets' measure) start through the launcher, which wrote its"
                    + " class-data archives in a first run of each kind before these runs.";
            return List.of(
                    new Report.Section("Start-up: skills", description, rows, Report.seconds(skillsSeconds) + " median",
                            "at most 0.5 s", skillsSeconds <= 0.5),
                    new Report.Section("Start-up: serve", "Measured in the same runs: see the table above.", List.of(),
                            Report.seconds(serveSeconds) + " median", "at most 1 s", serveSeconds <= 1.0));
        } finally {
            Bench.delete(dir);
        }
    }

    private static List<String> row(String name, Latencies times, Latencies baseline) {
        return List.of(name, String.format(java.util.Locale.ROOT, "%.2f", times.medianMillis() / 1000),
                String.format(java.util.Locale.ROOT, "%.2f", times.percentileMillis(100) / 1000),
                Report.ratio(times.medianMillis() / baseline.medianMillis()));
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static long serveUntilHealthy(List<String> jvmOptions, Path home) throws Exception {
        return serveUntilHealthy(Processes.runner(jvmOptions, home, "serve", "--port", "%PORT%"));
    }

    /** Starts {@code serve} ({@code %PORT%} in its command replaced by a free port) and times it to a 200. */
    private static long serveUntilHealthy(ProcessBuilder serve) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();
        String portText = Integer.toString(port);
        serve.command().replaceAll(arg -> arg.equals("%PORT%") ? portText : arg);
        Process process = serve.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return System.nanoTime() - start;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(5);
                if (!process.isAlive()) {
                    throw new IllegalStateException("serve exited with " + process.exitValue());
                }
            }
            throw new IllegalStateException("serve did not answer /health within 30 s");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

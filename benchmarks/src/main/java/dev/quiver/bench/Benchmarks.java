package dev.quiver.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the benchmarks and writes their figures into {@code docs/PERFORMANCE.md}. Started by
 * {@code benchmarks/run.sh [--quick] [--only overhead,throughput,startup,volume,batch,records] [--no-write]}.
 */
public final class Benchmarks {

    private static final List<String> ALL = List.of("overhead", "throughput", "startup", "volume", "batch",
            "records");

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean write = true;
        Set<String> only = new LinkedHashSet<>(ALL);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-write" -> write = false;
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> {
                    System.err.println("usage: benchmarks/run.sh [--quick] [--only " + String.join(",", ALL)
                            + "] [--no-write]");
                    System.exit(2);
                }
            }
        }
        if (!ALL.containsAll(only)) {
            System.err.println("unknown benchmark in " + only + "; known: " + ALL);
            System.exit(2);
        }
        List<Report.Section> sections = new ArrayList<>();
        for (String name : only) {
            System.err.println("benchmark: " + name + (quick ? " (quick)" : ""));
            long start = System.nanoTime();
            switch (name) {
                case "overhead" -> sections.add(PipelineOverhead.run(quick));
                case "throughput" -> sections.add(ServiceThroughput.run(quick));
                case "startup" -> sections.addAll(StartUp.run(quick));
                case "volume" -> sections.add(Volume.run(quick));
                case "batch" -> sections.add(BatchPacing.run(quick));
                case "records" -> sections.add(RecordsVolume.run(quick));
                default -> throw new IllegalArgumentException(name);
            }
            Report.Section last = sections.get(sections.size() - 1);
            System.err.printf(Locale.ROOT, "  %s: %s (target %s) in %.0f s%n", last.title(), last.result(),
                    last.target(), (System.nanoTime() - start) / 1e9);
        }
        String command = "benchmarks/run.sh" + (quick ? " --quick" : "")
                + (only.size() < ALL.size() ? " --only " + String.join(",", only) : "");
        String markdown = Report.markdown(machine(), command, sections);
        System.out.println(markdown);
        if (write && !quick) {
            Path file = Bench.root().resolve("docs/PERFORMANCE.md");
            Report.write(file, markdown);
            System.err.println("benchmarks: figures written to " + file);
        } else if (write) {
            System.err.println("benchmarks: --quick figures are not written to docs/PERFORMANCE.md");
        }
    }

    private static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = 0;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            memory = sun.getTotalMemorySize();
        }
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: the CPU goes unnamed
        }
        return String.format(Locale.ROOT, "Machine: %d cores (%s), %d GiB RAM, %s %s; Java %s (%s).",
                os.getAvailableProcessors(), cpu, memory >> 30, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }
}

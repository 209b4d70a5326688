package dev.quiver.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The figures of one run, as Markdown, written between the markers of {@code docs/PERFORMANCE.md}. */
final class Report {

    static final String BEGIN = "<!-- benchmarks:begin (written by benchmarks/run.sh; edit outside the markers) -->";
    static final String END = "<!-- benchmarks:end -->";

    private Report() {
    }

    /**
     * One benchmark's outcome.
     *
     * @param rows   a table, the first row its header
     * @param result the figure the target is about
     * @param met    whether the target is met; null when the benchmark has no pass/fail target
     */
    record Section(String title, String description, List<List<String>> rows, String result, String target,
                   Boolean met) {
    }

    static String markdown(String machine, String command, List<Section> sections) {
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append("\n\n");
        md.append("Measured ").append(java.time.LocalDate.now()).append(" with `").append(command).append("`.\n\n");
        md.append(machine).append("\n\n");
        md.append("| benchmark | result | target | met |\n|---|---|---|---|\n");
        for (Section section : sections) {
            md.append("| ").append(section.title()).append(" | ").append(section.result()).append(" | ")
                    .append(section.target()).append(" | ")
                    .append(section.met() == null ? "n/a" : section.met() ? "yes" : "**no**").append(" |\n");
        }
        for (Section section : sections) {
            md.append("\n### ").append(section.title()).append("\n\n").append(section.description()).append("\n");
            List<List<String>> rows = section.rows();
            if (!rows.isEmpty()) {
                md.append("\n");
            }
            for (int i = 0; i < rows.size(); i++) {
                md.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
                if (i == 0) {
                    md.append("|").append("---|".repeat(rows.get(0).size())).append("\n");
                }
            }
        }
        md.append("\n").append(END).append("\n");
        return md.toString();
    }

    /** Replaces the text between the markers of {@code file} (or appends it), keeping everything else. */
    static void write(Path file, String figures) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Performance\n\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + figures.strip() + text.substring(end + END.length())
                : text.stripTrailing() + "\n\n" + figures;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, updated.endsWith("\n") ? updated : updated + "\n", StandardCharsets.UTF_8);
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.3f" : "%.1f", millis);
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    static String perSecond(double rate) {
        return String.format(Locale.ROOT, "%,.0f", rate);
    }

    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}

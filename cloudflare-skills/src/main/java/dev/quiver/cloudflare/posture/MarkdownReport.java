package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The review as a report a person pastes into a ticket: a summary per severity, then per zone a table of findings
 * (worst first) and the checks that were skipped and why. Cells are escaped so an expression cannot break the table.
 */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(JsonNode output) {
        StringBuilder md = new StringBuilder("# Cloudflare security posture review\n\n");
        md.append("| severity | findings |\n|---|---|\n");
        for (String severity : Finding.SEVERITIES) {
            md.append("| ").append(severity).append(" | ").append(output.path("summary").path(severity).asInt())
                    .append(" |\n");
        }
        for (JsonNode zone : output.path("zones")) {
            md.append("\n## ").append(cell(zone.path("zone_name").asText())).append(" (`")
                    .append(zone.path("zone_id").asText()).append("`)\n\n");
            if (zone.path("findings").isEmpty()) {
                md.append("No findings.\n");
            } else {
                md.append("| severity | finding | evidence | remediation |\n|---|---|---|---|\n");
                for (JsonNode finding : zone.path("findings")) {
                    md.append("| ").append(finding.path("severity").asText()).append(" | ")
                            .append(cell(finding.path("title").asText())).append(" (`")
                            .append(cell(finding.path("id").asText())).append("`) | ")
                            .append(cell(evidence(finding.path("evidence")))).append(" | ")
                            .append(cell(finding.path("remediation").asText())).append(" |\n");
                }
            }
            JsonNode skipped = zone.path("skipped");
            if (!skipped.isEmpty()) {
                md.append("\nSkipped checks:\n\n");
                for (JsonNode skip : skipped) {
                    md.append("- ").append(skip.path("check").asText()).append(": ")
                            .append(skip.path("reason").asText()).append(" (grant **")
                            .append(skip.path("permission").asText()).append("** to run it)\n");
                }
            }
        }
        return md.toString();
    }

    /** Evidence as {@code key: value} pairs on one line; nested values as compact JSON. */
    private static String evidence(JsonNode evidence) {
        StringBuilder text = new StringBuilder();
        evidence.fields().forEachRemaining(field -> {
            text.append(text.length() == 0 ? "" : "; ").append(field.getKey()).append(": ");
            text.append(field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
        });
        return text.toString();
    }

    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ");
    }
}

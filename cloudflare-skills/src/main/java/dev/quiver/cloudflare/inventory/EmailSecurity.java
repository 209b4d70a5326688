package dev.quiver.cloudflare.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPF, DMARC and DKIM as a zone's TXT records show them: SPF is a {@code v=spf1} record at the apex, DMARC a
 * {@code v=DMARC1} record at {@code _dmarc.<apex>}, DKIM a record at {@code <selector>._domainkey.<apex>}. The apex is
 * the records' {@code zone_name} when Cloudflare gives it, else the shortest name seen.
 */
public final class EmailSecurity {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ALL = Pattern.compile("(?:^|\\s)([+?~-]?)all(?:\\s|$)");
    private static final Pattern POLICY = Pattern.compile("(?:^|;)\\s*p\\s*=\\s*([a-zA-Z]+)");

    private EmailSecurity() {
    }

    public static ObjectNode of(JsonNode records) {
        String apex = null;
        for (JsonNode record : records) {
            String zoneName = record.path("zone_name").asText("");
            String name = record.path("name").asText("");
            if (!zoneName.isEmpty()) {
                apex = zoneName;
                break;
            }
            if (!name.isEmpty() && (apex == null || name.length() < apex.length())) {
                apex = name;
            }
        }
        ObjectNode spf = JSON.createObjectNode().put("present", false);
        ObjectNode dmarc = JSON.createObjectNode().put("present", false);
        TreeSet<String> selectors = new TreeSet<>();
        for (JsonNode record : records) {
            if (!"TXT".equals(record.path("type").asText())) {
                continue;
            }
            String name = record.path("name").asText("").toLowerCase(Locale.ROOT);
            String content = unquote(record.path("content").asText(""));
            String lower = content.toLowerCase(Locale.ROOT);
            String root = apex == null ? "" : apex.toLowerCase(Locale.ROOT);
            if (name.equals(root) && lower.startsWith("v=spf1")) {
                Matcher all = ALL.matcher(lower);
                String qualifier = all.find() ? (all.group(1).isEmpty() ? "+" : all.group(1)) : null;
                spf.put("present", true).put("record", content);
                if (qualifier == null) {
                    spf.putNull("all_qualifier");
                } else {
                    spf.put("all_qualifier", qualifier + "all");
                }
                // "+all" (or a bare "all") lets every host on the internet send as the domain.
                spf.put("ok", !"+".equals(qualifier));
            } else if (name.equals("_dmarc." + root) && lower.startsWith("v=dmarc1")) {
                Matcher policy = POLICY.matcher(lower);
                dmarc.put("present", true).put("record", content);
                if (policy.find()) {
                    dmarc.put("policy", policy.group(1));
                } else {
                    dmarc.putNull("policy");
                }
            } else if (name.endsWith("._domainkey." + root)) {
                selectors.add(name.substring(0, name.length() - ("._domainkey." + root).length()));
            }
        }
        ObjectNode flags = JSON.createObjectNode();
        flags.put("apex", apex);
        flags.set("spf", spf);
        flags.set("dmarc", dmarc);
        ArrayNode dkim = flags.putArray("dkim_selectors");
        selectors.forEach(dkim::add);
        return flags;
    }

    private static String unquote(String content) {
        String trimmed = content.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1).replace("\" \"", "") : trimmed;
    }
}

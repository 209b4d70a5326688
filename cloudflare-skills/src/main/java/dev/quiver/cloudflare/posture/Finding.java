package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One gap the review found in one zone.
 *
 * @param id          stable per kind of gap and subject ({@code login_not_rate_limited:/login}), for de-duplicating
 *                    across runs and tickets
 * @param severity    one of {@link #SEVERITIES}
 * @param evidence    what was read: the rule id and expression, the setting and its value
 */
record Finding(String id, String severity, String title, ObjectNode evidence, String remediation) {

    static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");
    private static final ObjectMapper JSON = new ObjectMapper();

    ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("severity", severity).put("title", title);
        node.set("evidence", evidence);
        node.put("remediation", remediation);
        return node;
    }
}

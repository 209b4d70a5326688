package dev.quiver.cloudflare.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.cloudflare.internal.ZoneConfig;

/** A ruleset's rules as the inventory skills list them: the rule's own fields plus the ruleset it lives in. */
public final class RuleView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleView() {
    }

    /** Every rule of {@code ruleset}, each with {@code ruleset_id} and {@code phase}; {@code enabled} defaults true. */
    public static ArrayNode rules(JsonNode ruleset) {
        ArrayNode views = JSON.createArrayNode();
        for (JsonNode rule : ZoneConfig.rules(ruleset)) {
            if (!rule.isObject()) {
                continue;
            }
            ObjectNode view = ZoneConfig.pick(rule, "id", "ref", "description", "expression", "action", "enabled",
                    "action_parameters", "ratelimit", "last_updated");
            view.put("ruleset_id", ruleset.path("id").asText(""));
            view.put("phase", ruleset.path("phase").asText(""));
            // Cloudflare's default: a rule without "enabled" is enabled.
            if (!view.path("enabled").isBoolean()) {
                view.put("enabled", true);
            }
            if ("execute".equals(rule.path("action").asText())) {
                JsonNode params = rule.path("action_parameters");
                if (params.path("id").isTextual()) {
                    view.put("managed_ruleset_id", params.get("id").asText());
                }
                if (params.has("overrides")) {
                    view.set("overrides", params.get("overrides"));
                }
            }
            views.add(view);
        }
        return views;
    }
}

package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a zone's WAF custom rules provably block or challenge one address or range. "Blocked" needs an enabled
 * block or challenge rule whose expression is a plain disjunction of {@code ip.src} matches covering the whole range
 * (directly or through an IP list whose items were read), with no enabled skip rule before it. A mention anywhere
 * else is "not proven"; nothing at all is "not blocked". A false "blocked" is the one answer the review never gives.
 */
final class BadIpCoverage {

    enum Verdict { BLOCKED, NOT_PROVEN, NOT_BLOCKED }

    record Result(Verdict verdict, ObjectNode evidence) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STOPPING = Set.of("block", "challenge", "js_challenge", "managed_challenge");

    /**
     * @param rules the custom phase's rules in order (as {@code RuleView} lists them)
     * @param lists IP list name to its item ranges; a name absent from the map could not be read
     * @param listsUnreadable why lists could not be read (null when they could)
     */
    static Result assess(String badIp, IpRange bad, JsonNode rules, Map<String, List<IpRange>> lists,
                         String listsUnreadable) {
        ArrayNode mentions = JSON.createArrayNode();
        String skipRule = null;
        Result proven = null;
        for (JsonNode rule : rules) {
            if (!rule.path("enabled").asBoolean(true)) {
                continue;
            }
            String action = rule.path("action").asText("");
            String expression = rule.path("expression").asText("");
            if ("skip".equals(action)) {
                skipRule = skipRule == null ? rule.path("id").asText("") : skipRule;
                continue;
            }
            if (!STOPPING.contains(action)) {
                continue;
            }
            RuleExpression parsed = RuleExpression.parse(expression);
            String via = null;
            String why = null;
            boolean mentioned = parsed.ranges().stream().anyMatch(r -> r.overlaps(bad));
            if (parsed.simple() && parsed.ranges().stream().anyMatch(r -> r.covers(bad))) {
                via = "expression";
            }
            for (String list : parsed.lists()) {
                Optional<List<IpRange>> items = Optional.ofNullable(lists.get(list));
                if (items.isEmpty()) {
                    mentioned = true;
                    why = "the rule uses IP list $" + list + ", which could not be read"
                            + (listsUnreadable == null ? "" : " (" + listsUnreadable + ")");
                } else if (parsed.simple() && items.get().stream().anyMatch(r -> r.covers(bad))) {
                    via = via == null ? "list $" + list : via;
                } else if (items.get().stream().anyMatch(r -> r.overlaps(bad))) {
                    mentioned = true;
                }
            }
            ObjectNode evidence = JSON.createObjectNode().put("ip", badIp).put("rule_id", rule.path("id").asText(""))
                    .put("ruleset_id", rule.path("ruleset_id").asText("")).put("action", action)
                    .put("expression", expression);
            if (via != null && skipRule == null) {
                evidence.put("via", via);
                proven = proven == null ? new Result(Verdict.BLOCKED, evidence) : proven;
            } else if (via != null || mentioned) {
                evidence.put("why_not_proven", via != null
                        ? "the enabled skip rule " + skipRule + " runs before it and may exempt the request"
                        : why != null ? why : "the expression matches more than the source address (and, not, other"
                        + " fields): whether it blocks " + badIp + " depends on the request");
                mentions.add(evidence);
            }
        }
        if (proven != null) {
            return proven;
        }
        if (!mentions.isEmpty()) {
            ObjectNode evidence = JSON.createObjectNode().put("ip", badIp);
            evidence.set("rules", mentions);
            return new Result(Verdict.NOT_PROVEN, evidence);
        }
        ObjectNode evidence = JSON.createObjectNode().put("ip", badIp)
                .put("rules_examined", rules.size());
        return new Result(Verdict.NOT_BLOCKED, evidence);
    }
}

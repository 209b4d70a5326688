package dev.quiver.runner.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One valid input for each Cloudflare skill on the sandbox, as tool arguments (without the connection). */
final class SkillCalls {

    static final String CREATE_RULE = "cloudflare_create_ruleset_rule";

    static final Map<String, Map<String, Object>> READS = Map.of(
            "cloudflare_verify_connection", Map.of("discover_permissions", false),
            "cloudflare_get_zone_details", Map.of("name", "contains:example", "limit", 2),
            "cloudflare_get_audit_logs", Map.of("actor_email", "mallory@example.com", "limit", 2),
            "cloudflare_get_audit_logs_for_detections", Map.of("actor_ip", "185.220.101.45",
                    "since", "2000-01-01T00:00:00Z", "limit", 3),
            "cloudflare_get_security_insights", Map.of("severity", List.of("critical"), "limit", 2),
            "cloudflare_list_access_applications", Map.of("search", "graf"));

    private SkillCalls() {
    }

    /** A WAF block rule with an idempotency key of its own. */
    static Map<String, Object> blockRule(String ip, boolean dryRun) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("phase", "http_request_firewall_custom");
        arguments.put("rule", Map.of("action", "block", "expression", "ip.src eq " + ip,
                "description", "agent: block " + ip, "ref", "agent-block-" + ip));
        if (dryRun) {
            arguments.put("dry_run", true);
        }
        return arguments;
    }

    static Map<String, Object> on(String connection, Map<String, Object> arguments) {
        Map<String, Object> with = new LinkedHashMap<>(arguments);
        with.put("connection", connection);
        return with;
    }
}

package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The sandbox's Cloudflare account, seeded the same way on every start (times relative to the start): zones on
 * four plans, 30 days of audit logs from several actors (with a few events a detection should catch), Security
 * Center insights of every severity, Access applications, and rulesets. Objects are shaped as the official API
 * returns them. Rulesets change as rules are added; the rest is read-only.
 */
final class SandboxWorld {

    static final String ACCOUNT_ID = "5a1db0c0ffee4a11b0a7c0de5a7db0c5";
    static final String ACCOUNT_NAME = "Sandbox Security Team";
    static final int AUDIT_DAYS = 30;

    /** The token's permission groups: what a SOC's read-mostly automation token typically holds. */
    static final List<String> TOKEN_GROUPS = List.of("Account Settings Read", "Access: Apps and Policies Read",
            "Account Rulesets Write", "Zone Read", "Zone Settings Read", "Zone WAF Write");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Instant started;
    final List<ObjectNode> zones = new ArrayList<>();
    final Map<String, ArrayNode> zoneSettings = new LinkedHashMap<>();
    final List<ObjectNode> auditLogs = new ArrayList<>();
    /** The time of each audit-log entry, parsed once: a listing filters thousands of entries by time. */
    final List<Instant> auditLogTimes = new ArrayList<>();
    final List<ObjectNode> insights = new ArrayList<>();
    final List<ObjectNode> accountApps = new ArrayList<>();
    final Map<String, List<ObjectNode>> zoneApps = new LinkedHashMap<>();
    /** Rulesets by id; each knows its owner ("accounts/{id}" or "zones/{id}"). */
    final Map<String, ObjectNode> rulesets = new LinkedHashMap<>();
    final Map<String, String> rulesetOwner = new LinkedHashMap<>();

    private final Random random = new Random(20261123L);

    SandboxWorld(Instant started) {
        this.started = started.truncatedTo(ChronoUnit.SECONDS);
        seedZones();
        seedAuditLogs();
        auditLogs.forEach(entry -> auditLogTimes.add(Instant.parse(entry.path("when").asText())));
        seedInsights();
        seedApps();
        seedRulesets();
    }

    String hex32() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    String zoneId(int index) {
        return zones.get(index).path("id").asText();
    }

    ObjectNode zone(String id) {
        return zones.stream().filter(zone -> zone.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    private void seedZones() {
        Object[][] zoneSpecs = {
                {"example.com", "Enterprise Website", "enterprise", "active"},
                {"shop.example.net", "Business Website", "business", "active"},
                {"blog.example.org", "Pro Website", "pro", "active"},
                {"staging.example.dev", "Free Website", "free", "pending"},
        };
        for (Object[] spec : zoneSpecs) {
            String id = hex32();
            ObjectNode zone = JSON.createObjectNode()
                    .put("id", id).put("name", (String) spec[0]).put("status", (String) spec[3])
                    .put("paused", false).put("type", "full").put("development_mode", 0);
            zone.putArray("name_servers").add("ada.ns.cloudflare.com").add("bob.ns.cloudflare.com");
            zone.putArray("original_name_servers").add("ns1.registrar.example");
            zone.putNull("original_registrar");
            zone.putObject("account").put("id", ACCOUNT_ID).put("name", ACCOUNT_NAME);
            zone.putObject("owner").put("id", ACCOUNT_ID).put("type", "organization").put("name", ACCOUNT_NAME);
            zone.putObject("plan").put("id", hex32()).put("name", (String) spec[1])
                    .put("legacy_id", (String) spec[2]).put("is_subscribed", true).put("can_subscribe", false)
                    .put("price", 0).put("currency", "USD").put("frequency", "monthly");
            zone.putObject("meta").put("step", 2).put("custom_certificate_quota", 0).put("page_rule_quota", 3)
                    .put("phishing_detected", false);
            zone.putArray("permissions").add("#zone:read").add("#zone_settings:read").add("#waf:edit");
            zone.put("created_on", started.minus(400, ChronoUnit.DAYS).toString());
            zone.put("modified_on", started.minus(3, ChronoUnit.DAYS).toString());
            zone.put("activated_on", "pending".equals(spec[3]) ? null : started.minus(399, ChronoUnit.DAYS).toString());
            zones.add(zone);

            ArrayNode settings = JSON.createArrayNode();
            boolean strict = !"free".equals(spec[2]);
            setting(settings, "always_use_https", strict ? "on" : "off");
            setting(settings, "min_tls_version", strict ? "1.2" : "1.0");
            setting(settings, "ssl", strict ? "strict" : "flexible");
            setting(settings, "security_level", "medium");
            setting(settings, "browser_check", "on");
            setting(settings, "waf", "enterprise".equals(spec[2]) ? "on" : "off");
            setting(settings, "development_mode", "off");
            zoneSettings.put(id, settings);
        }
    }

    private void setting(ArrayNode settings, String id, String value) {
        settings.addObject().put("id", id).put("value", value).put("editable", true)
                .put("modified_on", started.minus(12, ChronoUnit.DAYS).toString());
    }

    private record Actor(String email, String id, String ip, String usualInterface, int workStartHour) {
    }

    private void seedAuditLogs() {
        List<Actor> actors = List.of(
                new Actor("alice@example.com", hex32(), "198.51.100.23", "UI", 8),
                new Actor("bob@example.com", hex32(), "198.51.100.57", "UI", 9),
                new Actor("carol@example.com", hex32(), "192.0.2.14", "API", 7),
                new Actor("dave.contractor@example.net", hex32(), "203.0.113.20", "UI", 10),
                new Actor("soar-automation@example.com", hex32(), "192.0.2.200", "API", 0));
        String[][] routine = {
                {"login", "account", null}, {"login", "account", null}, {"login", "account", null},
                {"change_setting", "zone", "security_level"}, {"change_setting", "zone", "ssl"},
                {"add", "dns_record", null}, {"update", "dns_record", null}, {"delete", "dns_record", null},
                {"update", "rule", null}, {"add", "rule", null}, {"purge", "cache", null},
                {"view", "audit_log", null}, {"update", "page_rule", null},
        };
        Instant from = started.minus(AUDIT_DAYS, ChronoUnit.DAYS);
        int total = 5400;
        long spanSeconds = Duration.between(from, started.minus(2, ChronoUnit.MINUTES)).toSeconds();
        for (int i = 0; i < total; i++) {
            Actor actor = actors.get(random.nextInt(actors.size()));
            Instant when = from.plusSeconds(spanSeconds * i / total + random.nextInt(60));
            // people work office hours (UTC), the automation around the clock
            if (actor.workStartHour() > 0) {
                int hour = actor.workStartHour() + random.nextInt(9);
                when = when.atZone(ZoneOffset.UTC).withHour(hour).toInstant();
            }
            String[] action = routine[random.nextInt(routine.length)];
            String zoneName = "account".equals(action[1]) || "audit_log".equals(action[1])
                    ? null : zones.get(random.nextInt(zones.size())).path("name").asText();
            ObjectNode entry = entry(actor, when, action[0], action[1], zoneName, true);
            if ("change_setting".equals(action[0])) {
                entry.put("oldValue", "medium");
                entry.put("newValue", "high");
                ((ObjectNode) entry.get("metadata")).put("name", action[2]);
            }
            auditLogs.add(entry);
            // bulk edits: several entries logged in the same second
            if (random.nextInt(40) == 0) {
                for (int k = 0; k < 3; k++) {
                    auditLogs.add(entry(actor, when, "add", "dns_record", zoneName == null ? "example.com" : zoneName,
                            true));
                }
            }
        }
        Actor mallory = new Actor("mallory@example.com", hex32(), "185.220.101.45", "API", 0);
        Instant night = started.minus(2, ChronoUnit.DAYS).atZone(ZoneOffset.UTC).withHour(3).withMinute(12)
                .withSecond(9).toInstant();
        auditLogs.add(entry(mallory, night.minusSeconds(240), "login", "account", null, false));
        auditLogs.add(entry(mallory, night.minusSeconds(200), "login", "account", null, true));
        ObjectNode deleted = entry(mallory, night, "delete", "rule", "example.com", true);
        deleted.put("oldValue", "{\"action\":\"block\",\"expression\":\"ip.src in $bad_actors\",\"description\":\"Block known bad actors\"}");
        deleted.put("newValue", "");
        ((ObjectNode) deleted.get("metadata")).put("ruleset_phase", "http_request_firewall_custom");
        auditLogs.add(deleted);
        ObjectNode lowered = entry(mallory, night.plusSeconds(31), "change_setting", "zone", "example.com", true);
        lowered.put("oldValue", "high").put("newValue", "essentially_off");
        ((ObjectNode) lowered.get("metadata")).put("name", "security_level");
        auditLogs.add(lowered);
        ObjectNode member = entry(mallory, night.plusSeconds(95), "add", "member", null, true);
        member.put("newValue", "{\"email\":\"mallory.backup@example.org\",\"roles\":[\"Super Administrator - All Privileges\"]}");
        auditLogs.add(member);
        ObjectNode token = entry(mallory, night.plusSeconds(140), "create", "api_token", null, true);
        token.put("newValue", "{\"name\":\"backup-automation\",\"policies\":\"all zones: Zone WAF Write\"}");
        auditLogs.add(token);
        auditLogs.sort((a, b) -> a.path("when").asText().compareTo(b.path("when").asText()));
    }

    private ObjectNode entry(Actor actor, Instant when, String action, String resourceType, String zoneName,
                             boolean result) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
        entry.putObject("action").put("type", action).put("result", result);
        entry.putObject("actor").put("id", actor.id()).put("email", actor.email()).put("ip", actor.ip())
                .put("type", "user");
        entry.put("interface", actor.usualInterface());
        ObjectNode metadata = entry.putObject("metadata");
        if (zoneName != null) {
            metadata.put("zone_name", zoneName);
        }
        entry.putObject("owner").put("id", ACCOUNT_ID);
        entry.putObject("resource").put("id", hex32()).put("type", resourceType);
        entry.put("when", when.toString());
        return entry;
    }

    private void seedInsights() {
        Object[][] specs = {
                {"Critical", "exposed_infrastructure", "exposed_origin_ip", "staging.example.dev", 3, false},
                {"Critical", "weak_authentication", "super_admin_without_2fa", "dave.contractor@example.net", -1, false},
                {"Critical", "insecure_configuration", "ssl_flexible_mode", "staging.example.dev", 3, false},
                {"Moderate", "insecure_configuration", "always_use_https_not_enabled", "staging.example.dev", 3, false},
                {"Moderate", "insecure_configuration", "min_tls_version_below_1_2", "staging.example.dev", 3, false},
                {"Moderate", "email_security", "dmarc_record_missing", "shop.example.net", 1, false},
                {"Moderate", "compliance_violation", "waf_managed_rules_off", "blog.example.org", 2, false},
                {"Moderate", "exposed_infrastructure", "dns_record_exposes_origin", "shop.example.net", 1, true},
                {"Low", "configuration_suggestion", "bot_fight_mode_off", "blog.example.org", 2, false},
                {"Low", "configuration_suggestion", "hsts_not_enabled", "example.com", 0, false},
                {"Low", "email_security", "spf_softfail", "example.com", 0, false},
                {"Low", "configuration_suggestion", "dnssec_not_enabled", "shop.example.net", 1, false},
                {"Low", "configuration_suggestion", "page_shield_off", "example.com", 0, true},
        };
        for (Object[] spec : specs) {
            int zoneIndex = (Integer) spec[4];
            ObjectNode insight = JSON.createObjectNode();
            insight.put("id", hex32()).put("dismissed", (Boolean) spec[5]).put("has_extended_context", false)
                    .put("issue_class", (String) spec[2]).put("issue_type", (String) spec[1]);
            ObjectNode payload = insight.putObject("payload").put("detection_method", "Security Center scan");
            if (zoneIndex >= 0) {
                payload.put("zone_tag", zoneId(zoneIndex));
            }
            insight.put("resolve_link", "/security-center/insights").put("resolve_text", "Review " + spec[2])
                    .put("severity", (String) spec[0]).put("since", started.minus(9, ChronoUnit.DAYS).toString())
                    .put("status", "active").put("subject", (String) spec[3])
                    .put("timestamp", started.minus(1, ChronoUnit.DAYS).toString()).putNull("user_classification");
            insight.put("product", zoneIndex >= 0 ? "zones" : "members");
            insights.add(insight);
        }
    }

    private void seedApps() {
        String[][] specs = {
                {"Grafana", "self_hosted", "grafana.example.com", "engineering"},
                {"Admin panel", "self_hosted", "admin.example.com", "ops"},
                {"Salesforce", "saas", "example.my.salesforce.com", "sales"},
                {"Jump host SSH", "ssh", "ssh.example.com", "ops"},
                {"App Launcher", "app_launcher", "sandbox.cloudflareaccess.com", "all"},
                {"Kibana", "self_hosted", "kibana.example.com", "security"},
        };
        for (String[] spec : specs) {
            accountApps.add(app(spec));
        }
        zoneApps.put(zoneId(1), new ArrayList<>(List.of(app(new String[]{"Shop back office", "self_hosted",
                "admin.shop.example.net", "ops"}))));
    }

    private ObjectNode app(String[] spec) {
        ObjectNode app = JSON.createObjectNode();
        app.put("id", new UUID(random.nextLong(), random.nextLong()).toString())
                .put("name", spec[0]).put("type", spec[1]).put("domain", spec[2]);
        app.putArray("destinations").addObject().put("type", "public").put("uri", spec[2]);
        app.put("aud", hex32() + hex32());
        app.putArray("allowed_idps").add(hex32());
        app.put("auto_redirect_to_identity", false).put("app_launcher_visible", true)
                .put("session_duration", "24h");
        app.putArray("policies").addObject().put("id", hex32()).put("name", "Allow " + spec[3])
                .put("decision", "allow").put("precedence", 1);
        app.putArray("tags").add(spec[3]);
        app.put("created_at", started.minus(200, ChronoUnit.DAYS).toString())
                .put("updated_at", started.minus(20, ChronoUnit.DAYS).toString());
        return app;
    }

    private void seedRulesets() {
        ObjectNode custom = ruleset("zones/" + zoneId(0), "zone", "http_request_firewall_custom", "default");
        addRule(custom, rule("block", "(ip.src in {192.0.2.66 198.51.100.99})", "Block scanners", "block-scanners"),
                null);
        addRule(custom, rule("managed_challenge", "(http.request.uri.path contains \"/wp-login.php\")",
                "Challenge WordPress logins", null), null);
        ruleset("zones/" + zoneId(0), "zone", "http_ratelimit", "default");
        ruleset("accounts/" + ACCOUNT_ID, "custom", "http_request_firewall_custom", "Shared block list");
    }

    /** Creates an (empty) ruleset owned by {@code owner} and returns it. */
    ObjectNode ruleset(String owner, String kind, String phase, String name) {
        ObjectNode ruleset = JSON.createObjectNode();
        String id = hex32();
        ruleset.put("id", id).put("name", name).put("description", "").put("kind", kind).put("phase", phase)
                .put("version", "1").put("last_updated", Instant.now().toString());
        ruleset.putArray("rules");
        rulesets.put(id, ruleset);
        rulesetOwner.put(id, owner);
        return ruleset;
    }

    ObjectNode rule(String action, String expression, String description, String ref) {
        ObjectNode rule = JSON.createObjectNode().put("action", action).put("expression", expression)
                .put("description", description == null ? "" : description);
        if (ref != null) {
            rule.put("ref", ref);
        }
        return rule;
    }

    /** Adds {@code requested} as a new rule version at {@code position} (null: last); returns the stored rule. */
    synchronized ObjectNode addRule(ObjectNode ruleset, ObjectNode requested, ObjectNode position) {
        ObjectNode rule = requested.deepCopy();
        rule.remove("position");
        String id = hex32();
        rule.put("id", id);
        if (!rule.hasNonNull("ref")) {
            rule.put("ref", id);
        }
        if (!rule.has("enabled")) {
            rule.put("enabled", true);
        }
        rule.put("version", "1").put("last_updated", Instant.now().toString());
        ArrayNode rules = (ArrayNode) ruleset.get("rules");
        rules.insert(insertionIndex(rules, position), rule);
        ruleset.put("version", String.valueOf(ruleset.path("version").asInt() + 1))
                .put("last_updated", Instant.now().toString());
        return rule;
    }

    static int insertionIndex(ArrayNode rules, ObjectNode position) {
        if (position == null) {
            return rules.size();
        }
        if (position.has("index")) {
            return Math.max(0, Math.min(rules.size(), position.get("index").asInt() - 1));
        }
        String anchor = position.has("before") ? position.get("before").asText() : position.path("after").asText();
        boolean before = position.has("before");
        if (anchor.isEmpty()) {
            return before ? 0 : rules.size();
        }
        for (int i = 0; i < rules.size(); i++) {
            if (anchor.equals(rules.get(i).path("id").asText())) {
                return before ? i : i + 1;
            }
        }
        return -1;
    }
}

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
            "Account Rulesets Write", "Zone Read", "Zone Settings Read", "Zone WAF Write", "DNS Read",
            "Workers Scripts Read", "Workers Routes Read", "Page Rules Read", "Transform Rules Read",
            "Dynamic URL Redirects Read", "Account Filter Lists Read");

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
    final Map<String, List<ObjectNode>> dnsRecords = new LinkedHashMap<>();
    final Map<String, List<ObjectNode>> pageRules = new LinkedHashMap<>();
    final Map<String, List<ObjectNode>> workerRoutes = new LinkedHashMap<>();
    final List<ObjectNode> workerScripts = new ArrayList<>();
    /** IP lists of the account, and each list's items by list id. */
    final List<ObjectNode> ipLists = new ArrayList<>();
    final Map<String, List<ObjectNode>> ipListItems = new LinkedHashMap<>();

    private final Random random = new Random(20261123L);

    SandboxWorld(Instant started) {
        this.started = started.truncatedTo(ChronoUnit.SECONDS);
        seedZones();
        seedAuditLogs();
        auditLogs.forEach(entry -> auditLogTimes.add(Instant.parse(entry.path("when").asText())));
        seedInsights();
        seedApps();
        seedRulesets();
        seedPosture();
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
            ObjectNode hsts = JSON.createObjectNode();
            hsts.putObject("strict_transport_security").put("enabled", strict).put("max_age", strict ? 31536000 : 0)
                    .put("include_subdomains", strict).put("preload", false).put("nosniff", strict);
            settings.addObject().put("id", "security_header").put("editable", true)
                    .put("modified_on", started.minus(12, ChronoUnit.DAYS).toString()).set("value", hsts);
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

    /**
     * The posture-review customer: example.com (0) is clean, and blocks bad addresses three ways (a plain set, an IP
     * list, and an expression too complex to prove); shop.example.net (1) has no rate limit on /login and no DMARC;
     * blog.example.org (2) has no WAF rule or managed ruleset; staging.example.dev (3) has Flexible SSL, TLS 1.0,
     * no Always Use HTTPS and no HSTS (its settings above). Every zone proxies records to origins; two run Workers.
     */
    private void seedPosture() {
        ObjectNode badActors = JSON.createObjectNode().put("id", hex32()).put("name", "bad_actors")
                .put("description", "Addresses of known bad actors").put("kind", "ip").put("num_items", 2)
                .put("num_referencing_filters", 1).put("created_on", started.minus(90, ChronoUnit.DAYS).toString())
                .put("modified_on", started.minus(5, ChronoUnit.DAYS).toString());
        ipLists.add(badActors);
        List<ObjectNode> items = new ArrayList<>();
        for (String ip : List.of("203.0.113.0/24", "2001:db8:bad::/48")) {
            items.add(JSON.createObjectNode().put("id", hex32()).put("ip", ip).put("comment", "threat intel feed")
                    .put("created_on", started.minus(30, ChronoUnit.DAYS).toString())
                    .put("modified_on", started.minus(30, ChronoUnit.DAYS).toString()));
        }
        ipListItems.put(badActors.path("id").asText(), items);

        String loginPaths = "(http.request.uri.path in {\"/login\" \"/signin\" \"/auth\" \"/wp-login.php\"})";
        ObjectNode custom0 = entrypointOf("zones/" + zoneId(0), "http_request_firewall_custom");
        addRule(custom0, rule("block", "(ip.src in $bad_actors)", "Block the bad_actors list", "block-bad-actors"),
                null);
        addRule(custom0, rule("block", "(ip.src eq 198.51.100.77 and not http.request.uri.path in {\"/status\"})",
                "Block a scanner except on the status page", "block-scanner-not-status"), null);
        managed("zones/" + zoneId(0));
        rateLimit(entrypointOf("zones/" + zoneId(0), "http_ratelimit"), loginPaths);

        ObjectNode custom1 = ruleset("zones/" + zoneId(1), "zone", "http_request_firewall_custom", "default");
        addRule(custom1, rule("managed_challenge", "(cf.threat_score gt 20)", "Challenge risky visitors", null),
                null);
        managed("zones/" + zoneId(1));
        rateLimit(ruleset("zones/" + zoneId(1), "zone", "http_ratelimit", "default"),
                "(http.request.uri.path in {\"/signin\" \"/auth\" \"/wp-login.php\"})");

        rateLimit(ruleset("zones/" + zoneId(2), "zone", "http_ratelimit", "default"), loginPaths);

        ObjectNode custom3 = ruleset("zones/" + zoneId(3), "zone", "http_request_firewall_custom", "default");
        addRule(custom3, rule("block", "(http.request.uri.path contains \"/.git\")", "Block .git probes", null),
                null);
        managed("zones/" + zoneId(3));
        rateLimit(ruleset("zones/" + zoneId(3), "zone", "http_ratelimit", "default"), loginPaths);

        String[][] email = {
                {"v=spf1 include:_spf.google.com -all", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"},
                {"v=spf1 include:shops.example.com ~all", null},
                {"v=spf1 include:_spf.google.com -all", "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org"},
                {"v=spf1 -all", "v=DMARC1; p=none"},
        };
        String[] origins = {"198.51.100.10", "198.51.100.20", "192.0.2.30", "192.0.2.40"};
        for (int i = 0; i < zones.size(); i++) {
            String name = zones.get(i).path("name").asText();
            List<ObjectNode> records = new ArrayList<>();
            records.add(dns(i, "A", name, origins[i], true));
            records.add(dns(i, "CNAME", "www." + name, name, true));
            records.add(dns(i, "MX", name, "mail." + name, false).put("priority", 10));
            records.add(dns(i, "A", "mail." + name, "203.0.113.25", false));
            records.add(dns(i, "TXT", name, "\"" + email[i][0] + "\"", false));
            if (email[i][1] != null) {
                records.add(dns(i, "TXT", "_dmarc." + name, "\"" + email[i][1] + "\"", false));
            }
            records.add(dns(i, "TXT", "google._domainkey." + name, "\"v=DKIM1; k=rsa; p=MIIBIjANBgkq\"", false));
            dnsRecords.put(zoneId(i), records);
            pageRules.put(zoneId(i), new ArrayList<>());
            workerRoutes.put(zoneId(i), new ArrayList<>());
        }
        ObjectNode forward = JSON.createObjectNode().put("id", hex32()).put("priority", 1).put("status", "active")
                .put("created_on", started.minus(300, ChronoUnit.DAYS).toString())
                .put("modified_on", started.minus(30, ChronoUnit.DAYS).toString());
        forward.putArray("targets").addObject().put("target", "url").putObject("constraint")
                .put("operator", "matches").put("value", "http://www.example.com/*");
        ObjectNode forwardAction = forward.putArray("actions").addObject().put("id", "forwarding_url");
        forwardAction.putObject("value").put("url", "https://example.com/$1").put("status_code", 301);
        pageRules.get(zoneId(0)).add(forward);
        addRule(ruleset("zones/" + zoneId(1), "zone", "http_request_dynamic_redirect", "default"),
                rule("redirect", "(http.request.uri.path eq \"/old-shop\")", "Old shop to new", null), null);
        addRule(ruleset("zones/" + zoneId(2), "zone", "http_response_headers_transform", "default"),
                rule("rewrite", "true", "Add a security header", null), null);

        for (String script : List.of("edge-auth", "api-gateway")) {
            workerScripts.add(JSON.createObjectNode().put("id", script).put("etag", hex32())
                    .put("created_on", started.minus(120, ChronoUnit.DAYS).toString())
                    .put("modified_on", started.minus(8, ChronoUnit.DAYS).toString()).put("usage_model", "standard")
                    .put("compatibility_date", "2026-01-01"));
        }
        workerRoutes.get(zoneId(0)).add(JSON.createObjectNode().put("id", hex32()).put("pattern",
                "example.com/auth/*").put("script", "edge-auth"));
        workerRoutes.get(zoneId(1)).add(JSON.createObjectNode().put("id", hex32()).put("pattern",
                "shop.example.net/api/*").put("script", "api-gateway"));
    }

    private ObjectNode dns(int zone, String type, String name, String content, boolean proxied) {
        ObjectNode record = JSON.createObjectNode().put("id", hex32()).put("type", type).put("name", name)
                .put("content", content).put("proxied", proxied).put("proxiable", !"TXT".equals(type)
                        && !"MX".equals(type)).put("ttl", 1).put("zone_id", zoneId(zone))
                .put("zone_name", zones.get(zone).path("name").asText()).put("comment", (String) null);
        record.putArray("tags");
        record.put("created_on", started.minus(200, ChronoUnit.DAYS).toString())
                .put("modified_on", started.minus(20, ChronoUnit.DAYS).toString());
        return record;
    }

    private void managed(String owner) {
        ObjectNode rule = rule("execute", "true", "Cloudflare Managed Ruleset", null);
        rule.putObject("action_parameters").put("id", "efb7b8c949ac4650a09736fc376e9aee");
        addRule(ruleset(owner, "zone", "http_request_firewall_managed", "default"), rule, null);
    }

    private void rateLimit(ObjectNode ruleset, String expression) {
        ObjectNode rule = rule("block", expression, "Rate limit logins", null);
        rule.putObject("ratelimit").put("period", 60).put("requests_per_period", 10).put("mitigation_timeout", 600)
                .putArray("characteristics").add("cf.colo.id").add("ip.src");
        addRule(ruleset, rule, null);
    }

    private ObjectNode entrypointOf(String owner, String phase) {
        for (Map.Entry<String, ObjectNode> entry : rulesets.entrySet()) {
            if (owner.equals(rulesetOwner.get(entry.getKey())) && phase.equals(entry.getValue().path("phase").asText())
                    && "zone".equals(entry.getValue().path("kind").asText())) {
                return entry.getValue();
            }
        }
        return ruleset(owner, "zone", phase, "default");
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

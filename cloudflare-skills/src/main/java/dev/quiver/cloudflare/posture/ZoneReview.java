package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.internal.ZoneConfig;
import dev.quiver.cloudflare.inventory.EmailSecurity;
import dev.quiver.cloudflare.inventory.RuleView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The review of one zone: each group of checks reads what it needs, or is skipped with the permission it lacks. */
final class ZoneReview {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DNS_RECORDS = 20_000;
    private static final Set<String> ORIGIN_TYPES = Set.of("A", "AAAA", "CNAME");
    private static final List<String> TLS_VERSIONS = List.of("1.0", "1.1", "1.2", "1.3");

    private final SkillContext context;
    private final ZoneConfig config;
    private final ReviewRequest request;
    private final IpLists lists;
    private final String zoneId;
    private final String zoneName;
    private final List<Finding> findings = new ArrayList<>();
    private final ArrayNode checks = JSON.createArrayNode();
    private final ArrayNode skipped = JSON.createArrayNode();

    ZoneReview(SkillContext context, ZoneConfig config, ReviewRequest request, IpLists lists, JsonNode zone) {
        this.context = context;
        this.config = config;
        this.request = request;
        this.lists = lists;
        this.zoneId = zone.path("id").asText();
        this.zoneName = zone.path("name").asText(zoneId);
    }

    ObjectNode run() throws SkillException {
        firewall();
        settings();
        dns();
        routes();
        findings.sort(Comparator.comparingInt(f -> Finding.SEVERITIES.indexOf(f.severity())));
        ObjectNode report = JSON.createObjectNode().put("zone_id", zoneId).put("zone_name", zoneName);
        ArrayNode list = report.putArray("findings");
        findings.forEach(f -> list.add(f.toJson()));
        report.set("checks", checks);
        report.set("skipped", skipped);
        return report;
    }

    // --- WAF, bad addresses, login rate limits (Zone WAF Read)

    private void firewall() throws SkillException {
        String owner = ZoneConfig.zone(zoneId);
        Gated<JsonNode[]> read = Gated.read(context, ReviewSecurityPostureSkill.WAF, () -> new JsonNode[]{
                phase(owner, "http_request_firewall_custom"), phase(owner, "http_request_firewall_managed"),
                phase(owner, "http_ratelimit")});
        List<String> names = new ArrayList<>(List.of("waf_enabled"));
        request.badIps().forEach(ip -> names.add("bad_ip_blocked:" + ip));
        request.loginPaths().forEach(path -> names.add("login_rate_limited:" + path));
        if (!read.available()) {
            names.forEach(name -> skip(name, ReviewSecurityPostureSkill.WAF, read.skippedBecause()));
            return;
        }
        JsonNode custom = read.value()[0];
        JsonNode managed = read.value()[1];
        JsonNode rateLimits = read.value()[2];

        long customOn = enabled(custom).size();
        List<JsonNode> deployments = enabled(managed).stream()
                .filter(rule -> "execute".equals(rule.path("action").asText())).toList();
        if (customOn == 0 && deployments.isEmpty()) {
            ObjectNode evidence = JSON.createObjectNode().put("custom_rules_enabled", 0)
                    .put("managed_rulesets_enabled", 0).put("custom_rules_total", custom.size())
                    .put("managed_rules_total", managed.size());
            fail("waf_enabled", new Finding("waf_off", "high", "No WAF custom rule or managed ruleset is enabled",
                    evidence, "Deploy the Cloudflare Managed Ruleset (Security > WAF > Managed rules) and add"
                    + " custom rules for the zone's threats; a zone behind Cloudflare without them is proxied but"
                    + " not filtered."));
        } else {
            pass("waf_enabled", JSON.createObjectNode().put("custom_rules_enabled", customOn)
                    .put("managed_rulesets_enabled", deployments.size()));
        }

        for (int i = 0; i < request.badIps().size(); i++) {
            badIp(request.badIps().get(i), request.badRanges().get(i), custom);
        }
        for (String path : request.loginPaths()) {
            loginRateLimit(path, rateLimits);
        }
    }

    private void badIp(String ip, IpRange range, JsonNode custom) throws SkillException {
        boolean usesLists = false;
        for (JsonNode rule : custom) {
            usesLists |= !RuleExpression.parse(rule.path("expression").asText("")).lists().isEmpty();
        }
        Map<String, List<IpRange>> named = usesLists ? lists.byName() : Map.of();
        BadIpCoverage.Result result = BadIpCoverage.assess(ip, range, custom, named, lists.unreadable());
        String check = "bad_ip_blocked:" + ip;
        switch (result.verdict()) {
            case BLOCKED -> pass(check, result.evidence());
            case NOT_PROVEN -> {
                checks.addObject().put("check", check).put("status", "not_proven").set("evidence",
                        result.evidence());
                findings.add(new Finding("bad_ip_not_proven:" + ip, "medium", "Blocking of " + ip
                        + " is not proven", result.evidence(), "Add an enabled block rule whose expression is only"
                        + " a source-address match (ip.src in {" + ip + "} or ip.src in $<list>), before any skip"
                        + " rule, or confirm by hand that the rules cited block it for every request."));
            }
            case NOT_BLOCKED -> fail(check, new Finding("bad_ip_not_blocked:" + ip, "high", ip
                    + " is not blocked by any WAF custom rule", result.evidence(), "Add a WAF custom rule with"
                    + " action block for ip.src in {" + ip + "}, or add it to an IP list a block rule uses."));
        }
    }

    private void loginRateLimit(String path, JsonNode rateLimits) {
        String check = "login_rate_limited:" + path;
        for (JsonNode rule : enabled(rateLimits)) {
            if (RuleExpression.coversPath(rule.path("expression").asText(null), path)) {
                ObjectNode evidence = JSON.createObjectNode().put("rule_id", rule.path("id").asText(""))
                        .put("expression", rule.path("expression").asText(""));
                evidence.set("requests_per_period", rule.path("ratelimit").path("requests_per_period"));
                evidence.set("period", rule.path("ratelimit").path("period"));
                pass(check, evidence);
                return;
            }
        }
        ObjectNode evidence = JSON.createObjectNode().put("path", path)
                .put("rate_limit_rules_enabled", enabled(rateLimits).size());
        fail(check, new Finding("login_not_rate_limited:" + path, "medium", "No rate limiting rule covers " + path,
                evidence, "Add a rate limiting rule (Security > WAF > Rate limiting rules) whose expression matches"
                + " http.request.uri.path eq \"" + path + "\", counting by ip.src, with a block or managed"
                + " challenge action."));
    }

    private JsonNode phase(String owner, String phase) throws SkillException {
        return config.entrypoint(owner, phase).map(RuleView::rules).orElseGet(JSON::createArrayNode);
    }

    private static List<JsonNode> enabled(JsonNode rules) {
        List<JsonNode> on = new ArrayList<>();
        rules.forEach(rule -> {
            if (rule.path("enabled").asBoolean(true)) {
                on.add(rule);
            }
        });
        return on;
    }

    // --- TLS and HTTPS (Zone Settings Read)

    private void settings() throws SkillException {
        Gated<Map<String, JsonNode>> read = Gated.read(context, ReviewSecurityPostureSkill.SETTINGS,
                () -> config.settings(zoneId));
        if (!read.available()) {
            for (String check : List.of("ssl_mode", "min_tls_version", "always_use_https", "hsts")) {
                skip(check, ReviewSecurityPostureSkill.SETTINGS, read.skippedBecause());
            }
            return;
        }
        Map<String, JsonNode> settings = read.value();
        String ssl = settings.getOrDefault("ssl", JSON.missingNode()).asText("");
        if ("off".equals(ssl) || "flexible".equals(ssl)) {
            fail("ssl_mode", new Finding("ssl_" + ssl, "off".equals(ssl) ? "critical" : "high",
                    "off".equals(ssl) ? "SSL is off" : "SSL mode is Flexible: Cloudflare reaches the origin over"
                            + " plain HTTP", setting("ssl", ssl), "Install a certificate on the origin (a Cloudflare"
                    + " Origin CA certificate will do) and set SSL/TLS encryption to Full (strict)."));
        } else {
            record("ssl_mode", ssl, setting("ssl", ssl));
        }
        String tls = settings.getOrDefault("min_tls_version", JSON.missingNode()).asText("");
        if (TLS_VERSIONS.contains(tls) && TLS_VERSIONS.indexOf(tls) < TLS_VERSIONS.indexOf(request.minTls())) {
            ObjectNode evidence = setting("min_tls_version", tls).put("wanted", request.minTls());
            fail("min_tls_version", new Finding("tls_below_minimum", "medium", "Minimum TLS version is " + tls
                    + ", below " + request.minTls(), evidence, "Set SSL/TLS > Edge Certificates > Minimum TLS"
                    + " Version to " + request.minTls() + " or higher."));
        } else {
            record("min_tls_version", tls, setting("min_tls_version", tls).put("wanted", request.minTls()));
        }
        String https = settings.getOrDefault("always_use_https", JSON.missingNode()).asText("");
        if ("off".equals(https)) {
            fail("always_use_https", new Finding("https_not_enforced", "medium", "Always Use HTTPS is off",
                    setting("always_use_https", https), "Turn on SSL/TLS > Edge Certificates > Always Use HTTPS."));
        } else {
            record("always_use_https", https, setting("always_use_https", https));
        }
        JsonNode header = settings.getOrDefault("security_header", JSON.missingNode());
        JsonNode hsts = header.path("strict_transport_security");
        if (hsts.isObject() && !hsts.path("enabled").asBoolean(false)) {
            ObjectNode evidence = JSON.createObjectNode().put("setting", "security_header");
            evidence.set("strict_transport_security", hsts);
            fail("hsts", new Finding("hsts_off", "low", "HSTS is not enabled", evidence, "Enable HSTS (SSL/TLS >"
                    + " Edge Certificates > HTTP Strict Transport Security) once every subdomain serves HTTPS."));
        } else {
            ObjectNode evidence = JSON.createObjectNode().put("setting", "security_header");
            evidence.set("strict_transport_security", hsts.isMissingNode() ? JSON.nullNode() : hsts);
            record("hsts", hsts.isObject() ? "on" : "", evidence);
        }
    }

    private static ObjectNode setting(String id, String value) {
        return JSON.createObjectNode().put("setting", id).put("value", value);
    }

    /** Passed when Cloudflare returned the setting, "unknown" when it did not: absence is not proof of either. */
    private void record(String check, String value, ObjectNode evidence) {
        if (value.isEmpty()) {
            checks.addObject().put("check", check).put("status", "unknown").put("reason",
                    "Cloudflare returned no value for it");
        } else {
            pass(check, evidence);
        }
    }

    // --- email and origins (DNS Read)

    private void dns() throws SkillException {
        Gated<ArrayNode> read = Gated.read(context, ReviewSecurityPostureSkill.DNS,
                () -> config.dnsRecords(zoneId, null, null, MAX_DNS_RECORDS));
        if (!read.available()) {
            for (String check : List.of("spf", "dmarc", "proxied_origins")) {
                skip(check, ReviewSecurityPostureSkill.DNS, read.skippedBecause());
            }
            return;
        }
        ObjectNode email = EmailSecurity.of(read.value());
        JsonNode spf = email.path("spf");
        if (!spf.path("present").asBoolean()) {
            fail("spf", new Finding("spf_missing", "medium", "No SPF record at the apex",
                    JSON.createObjectNode().put("name", zoneName).put("type", "TXT"), "Publish a TXT record"
                    + " \"v=spf1 <your senders> -all\" at " + zoneName + " (\"v=spf1 -all\" if it sends no mail)."));
        } else if (!spf.path("ok").asBoolean()) {
            fail("spf", new Finding("spf_pass_all", "high", "SPF allows every sender (+all)",
                    JSON.createObjectNode().put("record", spf.path("record").asText()), "End the SPF record with"
                    + " -all (or ~all while testing) instead of +all."));
        } else {
            pass("spf", JSON.createObjectNode().put("record", spf.path("record").asText()));
        }
        JsonNode dmarc = email.path("dmarc");
        if (!dmarc.path("present").asBoolean()) {
            fail("dmarc", new Finding("dmarc_missing", "medium", "No DMARC record",
                    JSON.createObjectNode().put("name", "_dmarc." + zoneName).put("type", "TXT"), "Publish a TXT"
                    + " record \"v=DMARC1; p=quarantine; rua=mailto:<reports>\" at _dmarc." + zoneName + "."));
        } else {
            pass("dmarc", JSON.createObjectNode().put("record", dmarc.path("record").asText())
                    .put("policy", dmarc.path("policy").asText("")));
        }
        ArrayNode origins = JSON.createArrayNode();
        for (JsonNode record : read.value()) {
            if (record.path("proxied").asBoolean(false) && ORIGIN_TYPES.contains(record.path("type").asText())) {
                origins.addObject().put("name", record.path("name").asText()).put("type", record.path("type")
                        .asText()).put("origin", record.path("content").asText());
            }
        }
        ObjectNode evidence = JSON.createObjectNode();
        evidence.set("records", origins);
        info("proxied_origins", origins.isEmpty() ? null : new Finding("proxied_origins", "info",
                origins.size() + " proxied record(s) point at origins", evidence, "Make sure each origin accepts"
                + " traffic only from Cloudflare's IP ranges (or through a Cloudflare Tunnel), so it cannot be"
                + " reached around the WAF."), evidence);
    }

    // --- Workers routes (Workers Routes Read)

    private void routes() throws SkillException {
        Gated<JsonNode> read = Gated.read(context, ReviewSecurityPostureSkill.ROUTES,
                () -> config.workerRoutes(zoneId));
        if (!read.available()) {
            skip("workers_routes", ReviewSecurityPostureSkill.ROUTES, read.skippedBecause());
            return;
        }
        ArrayNode routes = JSON.createArrayNode();
        for (JsonNode route : read.value()) {
            if (route.isObject()) {
                routes.add(ZoneConfig.pick(route, "pattern", "script"));
            }
        }
        ObjectNode evidence = JSON.createObjectNode();
        evidence.set("routes", routes);
        info("workers_routes", routes.isEmpty() ? null : new Finding("workers_routes", "info", routes.size()
                + " Workers route(s) run code in front of the zone", evidence, "Review that each script is owned"
                + " and expected: a Worker on a route sees and can change every matching request."), evidence);
    }

    // --- bookkeeping

    private void pass(String check, ObjectNode evidence) {
        checks.addObject().put("check", check).put("status", "passed").set("evidence", evidence);
    }

    private void fail(String check, Finding finding) {
        checks.addObject().put("check", check).put("status", "failed").put("finding", finding.id());
        findings.add(finding);
    }

    private void info(String check, Finding finding, ObjectNode evidence) {
        ObjectNode entry = checks.addObject().put("check", check).put("status", "info");
        entry.set("evidence", evidence);
        if (finding != null) {
            findings.add(finding);
        }
    }

    private void skip(String check, PermissionRule rule, String reason) {
        checks.addObject().put("check", check).put("status", "skipped");
        skipped.addObject().put("check", check).put("permission", String.join(" or ", rule.anyOf()))
                .put("reason", reason);
    }
}

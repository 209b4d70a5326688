package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.PagedQuery;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.cloudflare.internal.Schemas;
import dev.quiver.cloudflare.internal.ZoneConfig;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The onboarding review of a customer's Cloudflare: for each zone, whether the WAF is on, the given bad addresses
 * are provably blocked, the login paths are rate limited, TLS is sound (SSL mode, minimum version, HTTPS, HSTS) and
 * email is protected (SPF, DMARC), with proxied origins and Workers routes as inventory. Only Zone Read is required:
 * each group of checks needs its own optional permission, and without it the checks are listed as skipped with the
 * permission that would enable them.
 */
@Extension
public class ReviewSecurityPostureSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final int MAX_ZONES = 500;

    static final PermissionRule ZONE_READ = PermissionRule.of(Resources.ZONE, PermissionGroups.ZONE_READ);
    static final PermissionRule SETTINGS = PermissionRule.optional(Resources.ZONE,
            PermissionGroups.ZONE_SETTINGS_READ, "the SSL mode, minimum TLS, Always Use HTTPS and HSTS checks");
    static final PermissionRule WAF = PermissionRule.optional(Resources.ZONE, PermissionGroups.ZONE_WAF_READ,
            "the WAF, blocked-address and login rate-limit checks");
    static final PermissionRule DNS = PermissionRule.optional(Resources.ZONE, PermissionGroups.DNS_READ,
            "the SPF, DMARC and proxied-origin checks");
    static final PermissionRule ROUTES = PermissionRule.optional(Resources.ZONE,
            PermissionGroups.WORKERS_ROUTES_READ, "the Workers routes inventory");
    static final PermissionRule LISTS = PermissionRule.optional(Resources.ACCOUNT,
            PermissionGroups.FILTER_LISTS_READ, "proving a block through an IP list a rule references");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_review_security_posture",
            "Security posture review",
            "Reviews zones (by id or name; every zone the connection may read by default): WAF enabled, bad_ips"
                    + " blocked (or 'not proven'), login paths rate limited, SSL mode, minimum TLS, Always Use HTTPS,"
                    + " HSTS, SPF, DMARC, proxied origins and Workers routes. Returns findings with evidence and"
                    + " remediation, a summary per severity, the checks skipped for want of a permission, and the"
                    + " same as a Markdown report (report_markdown).",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("review_security_posture.input"),
            Schemas.load("review_security_posture.output"),
            List.of(ZONE_READ, SETTINGS, WAF, DNS, ROUTES, LISTS));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * The zone rules on each zone named by id; on every zone ("*") when a zone is named by name or none is named —
     * or, then, on each zone of the connection's allow-list, which is all it may read.
     */
    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection) {
        List<String> resources = new ArrayList<>();
        boolean byName = false;
        for (JsonNode zone : input.path("zones")) {
            if (ZONE_ID.matcher(zone.asText()).matches()) {
                resources.add(zone.asText());
            } else {
                byName = true;
            }
        }
        List<String> allowList = allowList(connection);
        if (byName || input.path("zones").isEmpty()) {
            resources = input.path("zones").isEmpty() && !allowList.isEmpty() ? allowList
                    : List.of(RequiredPermission.EVERY);
        }
        List<RequiredPermission> needs = new ArrayList<>();
        for (PermissionRule rule : List.of(ZONE_READ, SETTINGS, WAF, DNS, ROUTES)) {
            for (String zone : resources) {
                needs.add(new RequiredPermission(rule, zone));
            }
        }
        needs.add(RequiredPermission.onDefault(LISTS));
        return needs;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        CloudflareClient client = new CloudflareClient(context);
        ZoneConfig config = new ZoneConfig(client);
        ReviewRequest request = ReviewRequest.of(input);
        ArrayNode notFound = JSON.createArrayNode();
        List<JsonNode> zones = zones(client, input, context.connection(), notFound);

        IpLists lists = new IpLists(context, config, context.connection().setting("account_id"));
        ArrayNode zoneReports = JSON.createArrayNode();
        ObjectNode summary = JSON.createObjectNode();
        Finding.SEVERITIES.forEach(severity -> summary.put(severity, 0));
        for (JsonNode zone : zones) {
            ObjectNode report = new ZoneReview(context, config, request, lists, zone).run();
            for (JsonNode finding : report.path("findings")) {
                String severity = finding.path("severity").asText();
                summary.put(severity, summary.path(severity).asInt() + 1);
            }
            zoneReports.add(report);
        }
        ObjectNode output = JSON.createObjectNode();
        output.set("summary", summary);
        output.set("zones", zoneReports);
        output.set("zones_not_found", notFound);
        output.put("report_markdown", MarkdownReport.render(output));
        return output;
    }

    /** The zones to review, each with id and name, as Cloudflare lists them. */
    private static List<JsonNode> zones(CloudflareClient client, JsonNode input, ConnectionInfo connection,
                                        ArrayNode notFound) throws SkillException {
        List<JsonNode> zones = new ArrayList<>();
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>();
        input.path("zones").forEach(zone -> wanted.add(zone.asText()));
        if (wanted.isEmpty()) {
            wanted.addAll(allowList(connection));
        }
        if (wanted.isEmpty()) {
            ArrayNode all = JSON.createArrayNode();
            PagedQuery.of(client, "/zones", 50).drainInto(all, MAX_ZONES);
            all.forEach(zone -> {
                if (zone.isObject() && !zone.path("id").asText("").isEmpty()) {
                    seen.putIfAbsent(zone.get("id").asText(), zone);
                }
            });
            return new ArrayList<>(seen.values());
        }
        for (String zone : wanted) {
            JsonNode found = null;
            if (ZONE_ID.matcher(zone).matches()) {
                found = client.find("/zones/" + Query.segment(zone)).map(e -> e.result()).orElse(null);
            } else {
                for (JsonNode candidate : client.get(new Query().add("name", zone).appendTo("/zones")).result()) {
                    if (zone.equalsIgnoreCase(candidate.path("name").asText())) {
                        found = candidate;
                    }
                }
            }
            if (found == null || !found.isObject() || found.path("id").asText("").isEmpty()) {
                notFound.add(zone);
            } else {
                seen.putIfAbsent(found.get("id").asText(), found);
            }
        }
        zones.addAll(seen.values());
        if (zones.isEmpty() && !notFound.isEmpty()) {
            throw new SkillException(ErrorCode.NOT_FOUND, "none of the zones " + notFound + " was found",
                    "Name zones by their 32-hex id or exact domain name, as the dashboard lists them.");
        }
        return zones;
    }

    private static List<String> allowList(ConnectionInfo connection) {
        List<String> zones = new ArrayList<>();
        connection.settings().path("zones").forEach(zone -> zones.add(zone.asText()));
        return zones;
    }
}

package dev.quiver.cloudflare.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.PagedQuery;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.util.List;
import java.util.Locale;

/**
 * Security Center insights of an account ({@code GET /accounts/{id}/security-center/insights}) or of one zone (the
 * zone twin), pages of up to 1000, plus the per-severity counts of everything that matches
 * ({@code .../insights/severity}, same filters).
 */
@Extension
public class GetSecurityInsightsSkill implements Skill {

    static final int MAX_PER_PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ARRAY_FILTERS = List.of("issue_class", "issue_type", "product", "severity",
            "subject");

    // Cloudflare documents no API permission group for Security Center: these are the closest (plugin README).
    private static final PermissionRule ACCOUNT_INSIGHTS = new PermissionRule(Resources.ACCOUNT,
            List.of(PermissionGroups.ACCOUNT_SETTINGS_READ), "no zone_id");
    private static final PermissionRule ZONE_INSIGHTS = new PermissionRule(Resources.ZONE,
            List.of(PermissionGroups.ZONE_READ), "zone_id given");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_get_security_insights",
            "Security Center insights",
            "Returns the Security Center insights of the account, or of one zone, filtered by dismissed, issue"
                    + " class, issue type, product, severity and subject, with a count of all matching insights per"
                    + " severity.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("get_security_insights.input"),
            Schemas.load("get_security_insights.output"),
            List.of(ACCOUNT_INSIGHTS, ZONE_INSIGHTS));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection) {
        String zone = Inputs.explicitZone(input);
        return zone != null
                ? List.of(new RequiredPermission(ZONE_INSIGHTS, zone))
                : List.of(new RequiredPermission(ACCOUNT_INSIGHTS, Inputs.accountId(input, connection)));
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        CloudflareClient client = new CloudflareClient(context);
        int limit = input.path("limit").asInt(100);
        String base = Inputs.ownerPath(Inputs.accountId(input, context.connection()), Inputs.explicitZone(input))
                + "/security-center/insights";

        ArrayNode insights = JSON.createArrayNode();
        new PagedQuery(client, filters(input).appendTo(base), Math.min(limit, MAX_PER_PAGE),
                envelope -> envelope.result().path("issues"), 1, 0).drainInto(insights, limit);

        ObjectNode counts = JSON.createObjectNode().put("critical", 0).put("moderate", 0).put("low", 0);
        int total = 0;
        for (JsonNode bucket : client.get(filters(input).appendTo(base + "/severity")).result()) {
            counts.put(bucket.path("value").asText().toLowerCase(Locale.ROOT), bucket.path("count").asInt());
            total += bucket.path("count").asInt();
        }

        ObjectNode output = JSON.createObjectNode();
        output.set("insights", insights);
        output.put("count", insights.size());
        output.put("total_count", Math.max(total, insights.size()));
        output.put("truncated", insights.size() < total);
        output.set("severity_counts", counts);
        return output;
    }

    /** The filters as Cloudflare takes them: arrays as repeated parameters. */
    private static Query filters(JsonNode input) {
        Query query = new Query().add("dismissed", Inputs.bool(input, "dismissed"));
        for (String field : ARRAY_FILTERS) {
            input.path(field).forEach(value -> query.add(field, value.asText()));
        }
        return query;
    }
}

package dev.quiver.cloudflare.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.cloudflare.internal.Schemas;
import dev.quiver.cloudflare.internal.ZoneConfig;
import org.pf4j.Extension;

import java.util.List;

/** A zone's rate limiting rules: the {@code http_ratelimit} phase entry point, each rule's limit spelled out. */
@Extension
public class ListRateLimitRulesSkill implements Skill {

    static final String PHASE = "http_ratelimit";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PermissionRule WAF_READ = PermissionRule.of(Resources.ZONE, PermissionGroups.ZONE_WAF_READ);

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_rate_limit_rules",
            "Rate limiting rules",
            "Lists a zone's rate limiting rules (phase http_ratelimit; the connection's default zone unless zone_id is"
                    + " given): expression, characteristics, period, requests per period, mitigation timeout, action.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_rate_limit_rules.input"),
            Schemas.load("list_rate_limit_rules.output"),
            List.of(WAF_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        String zoneId = Inputs.zoneId(input, context.connection());
        ArrayNode rules = ListFirewallRulesSkill.phase(new ZoneConfig(new CloudflareClient(context)),
                ZoneConfig.zone(zoneId), PHASE);
        for (JsonNode rule : rules) {
            ObjectNode view = (ObjectNode) rule;
            JsonNode limit = view.path("ratelimit");
            for (String field : List.of("characteristics", "period", "requests_per_period", "mitigation_timeout",
                    "counting_expression", "requests_to_origin")) {
                if (limit.has(field)) {
                    view.set(field, limit.get(field));
                }
            }
            view.remove("ratelimit");
        }
        ObjectNode output = JSON.createObjectNode();
        output.put("zone_id", zoneId);
        output.set("rules", rules);
        return output;
    }
}

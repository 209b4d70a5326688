package dev.quiver.cloudflare.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionGrant;
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

/**
 * What a zone rewrites or redirects at the edge: Page Rules ({@code GET /zones/{zone_id}/pagerules}), redirect rules
 * ({@code http_request_dynamic_redirect}) and transform rules (URL rewrite, request and response header phases). The
 * rule phases are read when the token holds their product's group and listed as skipped otherwise.
 */
@Extension
public class ListEdgeRulesSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PermissionRule PAGE_RULES = PermissionRule.of(Resources.ZONE,
            PermissionGroups.PAGE_RULES_READ);
    private static final PermissionRule REDIRECTS = PermissionRule.optional(Resources.ZONE,
            PermissionGroups.DYNAMIC_REDIRECTS_READ, "redirect rules (phase http_request_dynamic_redirect)");
    private static final PermissionRule TRANSFORMS = PermissionRule.optional(Resources.ZONE,
            PermissionGroups.TRANSFORM_RULES_READ, "transform rules (URL rewrites and header changes)");
    private static final List<String> TRANSFORM_PHASES = List.of("http_request_transform",
            "http_request_late_transform", "http_response_headers_transform");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_edge_rules",
            "Page, redirect and transform rules",
            "Lists what a zone rewrites or redirects where: Page Rules, redirect rules and transform rules (the"
                    + " connection's default zone unless zone_id is given). Rule phases the token may not read are"
                    + " listed in skipped.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_edge_rules.input"),
            Schemas.load("list_edge_rules.output"),
            List.of(PAGE_RULES, REDIRECTS, TRANSFORMS));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        ZoneConfig config = new ZoneConfig(new CloudflareClient(context));
        String zoneId = Inputs.zoneId(input, context.connection());
        ObjectNode output = JSON.createObjectNode();
        output.put("zone_id", zoneId);
        ArrayNode pageRules = output.putArray("page_rules");
        for (JsonNode rule : config.pageRules(zoneId)) {
            if (rule.isObject()) {
                pageRules.add(ZoneConfig.pick(rule, "id", "targets", "actions", "priority", "status"));
            }
        }
        ArrayNode skipped = JSON.createArrayNode();
        output.set("redirect_rules", phases(config, zoneId, List.of("http_request_dynamic_redirect"), REDIRECTS,
                context, skipped));
        output.set("transform_rules", phases(config, zoneId, TRANSFORM_PHASES, TRANSFORMS, context, skipped));
        output.set("skipped", skipped);
        return output;
    }

    /** The phases' rules, or nothing and a skipped entry when the optional permission is missing or refused. */
    private static ArrayNode phases(ZoneConfig config, String zoneId, List<String> phases, PermissionRule rule,
                                    SkillContext context, ArrayNode skipped) throws SkillException {
        ArrayNode rules = JSON.createArrayNode();
        if (context.grant(rule) == PermissionGrant.MISSING) {
            skipped.addObject().put("what", rule.when()).put("permission", rule.anyOf().get(0))
                    .put("reason", "the connection does not hold it");
            return rules;
        }
        try {
            for (String phase : phases) {
                rules.addAll(ListFirewallRulesSkill.phase(config, ZoneConfig.zone(zoneId), phase));
            }
        } catch (SkillException e) {
            if (e.code() != ErrorCode.PERMISSION_DENIED) {
                throw e;
            }
            rules.removeAll();
            skipped.addObject().put("what", rule.when()).put("permission", rule.anyOf().get(0))
                    .put("reason", "Cloudflare refused: " + e.getMessage());
        }
        return rules;
    }
}

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
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.cloudflare.internal.Schemas;
import dev.quiver.cloudflare.internal.ZoneConfig;
import org.pf4j.Extension;

import java.util.List;

/**
 * A zone's WAF: custom rules ({@code http_request_firewall_custom}) and managed-ruleset deployments and overrides
 * ({@code http_request_firewall_managed}), from the phases' entry points; and, where the token may read them, the
 * account's entry points of the same phases (Enterprise: they run on every zone of the account).
 */
@Extension
public class ListFirewallRulesSkill implements Skill {

    static final String CUSTOM = "http_request_firewall_custom";
    static final String MANAGED = "http_request_firewall_managed";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PermissionRule WAF_READ = PermissionRule.of(Resources.ZONE, PermissionGroups.ZONE_WAF_READ);
    private static final PermissionRule ACCOUNT_RULES = new PermissionRule(Resources.ACCOUNT,
            List.of(PermissionGroups.ACCOUNT_WAF_READ, PermissionGroups.ACCOUNT_RULESETS_READ),
            "the account-level WAF entry points", true);

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_firewall_rules",
            "WAF rules",
            "Lists a zone's WAF custom rules and managed-ruleset deployments with their expressions, actions and"
                    + " enabled flags (the connection's default zone unless zone_id is given), and the account-level"
                    + " entry points of the same phases when the token may read them.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_firewall_rules.input"),
            Schemas.load("list_firewall_rules.output"),
            List.of(WAF_READ, ACCOUNT_RULES));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        ZoneConfig config = new ZoneConfig(new CloudflareClient(context));
        String zoneId = Inputs.zoneId(input, context.connection());
        String accountId = context.connection().setting("account_id");
        ObjectNode output = JSON.createObjectNode();
        output.put("zone_id", zoneId);
        output.set("custom_rules", phase(config, ZoneConfig.zone(zoneId), CUSTOM));
        output.set("managed_rules", phase(config, ZoneConfig.zone(zoneId), MANAGED));
        ArrayNode skipped = JSON.createArrayNode();
        PermissionGrant grant = context.grant(ACCOUNT_RULES);
        if (grant == PermissionGrant.MISSING || accountId == null) {
            output.putNull("account");
            skipped.addObject().put("what", "account-level entry points")
                    .put("permission", String.join(" or ", ACCOUNT_RULES.anyOf()))
                    .put("reason", accountId == null ? "the connection has no account_id"
                            : "the connection does not hold it");
        } else {
            String owner = "/accounts/" + Query.segment(accountId);
            try {
                ObjectNode account = output.putObject("account");
                account.set("custom_rules", phase(config, owner, CUSTOM));
                account.set("managed_rules", phase(config, owner, MANAGED));
            } catch (SkillException e) {
                // Permissions unknown to the gate: Cloudflare's refusal means the same as a missing grant.
                if (e.code() != ErrorCode.PERMISSION_DENIED) {
                    throw e;
                }
                output.putNull("account");
                skipped.addObject().put("what", "account-level entry points")
                        .put("permission", String.join(" or ", ACCOUNT_RULES.anyOf()))
                        .put("reason", "Cloudflare refused: " + e.getMessage());
            }
        }
        output.set("skipped", skipped);
        return output;
    }

    static ArrayNode phase(ZoneConfig config, String owner, String phase) throws SkillException {
        return config.entrypoint(owner, phase).map(RuleView::rules).orElseGet(JSON::createArrayNode);
    }
}

package dev.quiver.cloudflare.testing;

import dev.quiver.api.Skill;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.cloudflare.access.ListAccessApplicationsSkill;
import dev.quiver.cloudflare.account.VerifyConnectionSkill;
import dev.quiver.cloudflare.audit.GetAuditLogsForDetectionsSkill;
import dev.quiver.cloudflare.audit.GetAuditLogsSkill;
import dev.quiver.cloudflare.inventory.GetZoneSecuritySettingsSkill;
import dev.quiver.cloudflare.inventory.ListDnsRecordsSkill;
import dev.quiver.cloudflare.inventory.ListEdgeRulesSkill;
import dev.quiver.cloudflare.inventory.ListFirewallRulesSkill;
import dev.quiver.cloudflare.inventory.ListRateLimitRulesSkill;
import dev.quiver.cloudflare.inventory.ListWorkersSkill;
import dev.quiver.cloudflare.posture.ReviewSecurityPostureSkill;
import dev.quiver.cloudflare.rulesets.CreateRulesetRuleSkill;
import dev.quiver.cloudflare.security.GetSecurityInsightsSkill;
import dev.quiver.cloudflare.zones.GetZoneDetailsSkill;

import java.util.List;

/** Every skill of the plugin, in one place, so tests that cover all of them cannot forget a new one. */
public final class PluginSkills {

    private PluginSkills() {
    }

    public static List<Skill> all() {
        return List.of(new GetAuditLogsSkill(), new GetAuditLogsForDetectionsSkill(), new GetSecurityInsightsSkill(),
                new ListAccessApplicationsSkill(), new GetZoneDetailsSkill(), new CreateRulesetRuleSkill(),
                new VerifyConnectionSkill(), new ListDnsRecordsSkill(), new GetZoneSecuritySettingsSkill(),
                new ListFirewallRulesSkill(), new ListRateLimitRulesSkill(), new ListWorkersSkill(),
                new ListEdgeRulesSkill(), new ReviewSecurityPostureSkill());
    }

    public static List<Skill> reads() {
        return all().stream().filter(s -> s.descriptor().access() == SkillDescriptor.Access.READ).toList();
    }
}

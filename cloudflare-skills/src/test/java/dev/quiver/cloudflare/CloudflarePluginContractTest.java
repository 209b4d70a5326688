package dev.quiver.cloudflare;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.Simulator;
import dev.quiver.api.Skill;
import dev.quiver.cloudflare.access.ListAccessApplicationsSkill;
import dev.quiver.cloudflare.account.VerifyConnectionSkill;
import dev.quiver.cloudflare.audit.GetAuditLogsForDetectionsSkill;
import dev.quiver.cloudflare.audit.GetAuditLogsSkill;
import dev.quiver.cloudflare.rulesets.CreateRulesetRuleSkill;
import dev.quiver.cloudflare.sandbox.CloudflareSimulator;
import dev.quiver.cloudflare.security.GetSecurityInsightsSkill;
import dev.quiver.cloudflare.zones.GetZoneDetailsSkill;
import dev.quiver.testkit.PluginContractTest;

import dev.quiver.cloudflare.testing.PluginSkills;

import java.util.List;

/** The Cloudflare plugin keeps the plugin contract: its type, its fourteen skills and its simulator. */
class CloudflarePluginContractTest extends PluginContractTest {

    @Override
    protected ConnectionType connectionType() {
        return new CloudflareConnectionType();
    }

    @Override
    protected List<Skill> skills() {
        return PluginSkills.all();
    }

    @Override
    protected Simulator simulator() {
        return new CloudflareSimulator();
    }
}

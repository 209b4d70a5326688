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

/** A zone's DNS records ({@code GET /zones/{zone_id}/dns_records}, paged), with the email-security flags they imply. */
@Extension
public class ListDnsRecordsSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PermissionRule DNS_READ = PermissionRule.of(Resources.ZONE, PermissionGroups.DNS_READ);

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_dns_records",
            "DNS records",
            "Lists a zone's DNS records (the connection's default zone unless zone_id is given), filtered by type and"
                    + " name, and flags email security: SPF present and not +all, DMARC present with its policy, the"
                    + " DKIM selectors seen.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_dns_records.input"),
            Schemas.load("list_dns_records.output"),
            List.of(DNS_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        String zoneId = Inputs.zoneId(input, context.connection());
        int limit = input.path("limit").asInt(5000);
        String type = Inputs.text(input, "type");
        String name = Inputs.text(input, "name");
        ArrayNode records = new ZoneConfig(new CloudflareClient(context)).dnsRecords(zoneId, type, name, limit);
        ObjectNode output = JSON.createObjectNode();
        output.put("zone_id", zoneId);
        output.set("records", records);
        output.put("count", records.size());
        output.put("truncated", records.size() >= limit);
        // Flags read from a filtered listing would claim absence the filter caused: only for the full listing.
        output.set("email_security", type == null && name == null ? EmailSecurity.of(records) : JSON.nullNode());
        return output;
    }
}

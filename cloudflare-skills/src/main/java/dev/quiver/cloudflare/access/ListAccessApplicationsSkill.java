package dev.quiver.cloudflare.access;

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
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.PagedQuery;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.util.List;

/**
 * Cloudflare Access applications of an account ({@code GET /accounts/{id}/access/apps}) or of one zone (the zone
 * twin), filtered by name, domain, aud or a free search, pages of up to 1000.
 */
@Extension
public class ListAccessApplicationsSkill implements Skill {

    static final int MAX_PER_PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    // Zone-level Access applications are governed by the same group; an account-wide grant covers them.
    private static final PermissionRule APPS_READ = new PermissionRule(Resources.ACCOUNT,
            List.of(PermissionGroups.ACCESS_APPS_READ), null);

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_access_applications",
            "Access applications",
            "Lists the Cloudflare Access applications of the account, or of one zone, filtered by name, domain,"
                    + " aud or a free-text search.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_access_applications.input"),
            Schemas.load("list_access_applications.output"),
            List.of(APPS_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection) {
        return List.of(new RequiredPermission(APPS_READ, Inputs.accountId(input, connection)));
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        int limit = input.path("limit").asInt(100);
        String path = new Query()
                .add("name", Inputs.text(input, "name"))
                .add("domain", Inputs.text(input, "domain"))
                .add("aud", Inputs.text(input, "aud"))
                .add("search", Inputs.text(input, "search"))
                .add("exact", Inputs.bool(input, "exact"))
                .appendTo(Inputs.ownerPath(Inputs.accountId(input, context.connection()), Inputs.explicitZone(input))
                        + "/access/apps");
        PagedQuery apps = PagedQuery.of(new CloudflareClient(context), path, Math.min(limit, MAX_PER_PAGE));
        ArrayNode collected = JSON.createArrayNode();
        apps.drainInto(collected, limit);

        ObjectNode output = JSON.createObjectNode();
        output.set("applications", collected);
        output.put("count", collected.size());
        output.put("truncated", collected.size() == limit && apps.position() != null);
        return output;
    }
}

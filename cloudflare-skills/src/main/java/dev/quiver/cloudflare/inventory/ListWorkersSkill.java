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

/**
 * The account's Workers scripts ({@code GET /accounts/{account_id}/workers/scripts}) and a zone's routes
 * ({@code GET /zones/{zone_id}/workers/routes}): which URL patterns run which script.
 */
@Extension
public class ListWorkersSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PermissionRule SCRIPTS_READ = PermissionRule.of(Resources.ACCOUNT,
            PermissionGroups.WORKERS_SCRIPTS_READ);
    private static final PermissionRule ROUTES_READ = PermissionRule.of(Resources.ZONE,
            PermissionGroups.WORKERS_ROUTES_READ);

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_list_workers",
            "Workers scripts and routes",
            "Lists the account's Workers scripts and a zone's Workers routes (pattern to script; the connection's"
                    + " default zone unless zone_id is given).",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("list_workers.input"),
            Schemas.load("list_workers.output"),
            List.of(SCRIPTS_READ, ROUTES_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        ZoneConfig config = new ZoneConfig(new CloudflareClient(context));
        String accountId = Inputs.accountId(input, context.connection());
        String zoneId = Inputs.zoneId(input, context.connection());
        ArrayNode scripts = JSON.createArrayNode();
        for (JsonNode script : config.workerScripts(accountId)) {
            if (script.isObject()) {
                scripts.add(ZoneConfig.pick(script, "id", "created_on", "modified_on", "usage_model", "handlers",
                        "compatibility_date", "logpush", "etag"));
            }
        }
        ArrayNode routes = JSON.createArrayNode();
        for (JsonNode route : config.workerRoutes(zoneId)) {
            if (route.isObject()) {
                routes.add(ZoneConfig.pick(route, "id", "pattern", "script"));
            }
        }
        ObjectNode output = JSON.createObjectNode();
        output.put("account_id", accountId);
        output.set("scripts", scripts);
        output.put("zone_id", zoneId);
        output.set("routes", routes);
        return output;
    }
}

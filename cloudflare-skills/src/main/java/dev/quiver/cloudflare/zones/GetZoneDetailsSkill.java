package dev.quiver.cloudflare.zones;

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

/**
 * One zone by id ({@code GET /zones/{zone_id}}), or the zones matching filters ({@code GET /zones}, paged by 50),
 * optionally with each zone's settings ({@code GET /zones/{zone_id}/settings}).
 */
@Extension
public class GetZoneDetailsSkill implements Skill {

    /** Cloudflare's maximum per_page for GET /zones. */
    static final int MAX_PER_PAGE = 50;
    private static final int MIN_PER_PAGE = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final PermissionRule ZONE_READ = new PermissionRule(Resources.ZONE,
            List.of(PermissionGroups.ZONE_READ), null);
    private static final PermissionRule SETTINGS_READ = new PermissionRule(Resources.ZONE,
            List.of(PermissionGroups.ZONE_SETTINGS_READ), "include_settings is true");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_get_zone_details",
            "Zone details",
            "Returns one zone by zone_id, or the zones matching name, status and account filters (the connection's"
                    + " default zone when neither is given), optionally with every zone's settings.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("get_zone_details.input"),
            Schemas.load("get_zone_details.output"),
            List.of(ZONE_READ, SETTINGS_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** One zone: its permissions on that zone. A listing: on every zone of the account ("*"). */
    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection) {
        String zone = singleZone(input, connection);
        String resource = zone == null ? "*" : zone;
        return input.path("include_settings").asBoolean(false)
                ? List.of(new RequiredPermission(ZONE_READ, resource), new RequiredPermission(SETTINGS_READ, resource))
                : List.of(new RequiredPermission(ZONE_READ, resource));
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        CloudflareClient client = new CloudflareClient(context);
        int limit = input.path("limit").asInt(50);
        boolean withSettings = input.path("include_settings").asBoolean(false);

        ArrayNode zones = JSON.createArrayNode();
        boolean truncated = false;
        String zoneId = singleZone(input, context.connection());
        if (zoneId != null) {
            JsonNode zone = client.get("/zones/" + Query.segment(zoneId)).result();
            if (zone != null && zone.isObject()) {
                zones.add(zone);
            }
        } else {
            truncated = list(client, input, limit, zones);
        }
        if (withSettings) {
            for (JsonNode zone : zones) {
                // A zone without an id cannot be asked for its settings (and /zones//settings is no endpoint).
                if (zone.isObject() && !zone.path("id").asText("").isEmpty()) {
                    ((ObjectNode) zone).set("settings", settings(client, zone.path("id").asText()));
                }
            }
        }
        ObjectNode output = JSON.createObjectNode();
        output.set("zones", zones);
        output.put("count", zones.size());
        output.put("truncated", truncated);
        return output;
    }

    /** Pages through GET /zones until limit zones are collected; true when more may match than were returned. */
    private static boolean list(CloudflareClient client, JsonNode input, int limit, ArrayNode into)
            throws SkillException {
        String path = new Query()
                .add("name", Inputs.text(input, "name"))
                .add("status", Inputs.text(input, "status"))
                .add("account.id", Inputs.text(input, "account_id"))
                .add("account.name", Inputs.text(input, "account_name"))
                .appendTo("/zones");
        PagedQuery zones = PagedQuery.of(client, path, Math.max(MIN_PER_PAGE, Math.min(MAX_PER_PAGE, limit)));
        zones.drainInto(into, limit);
        return into.size() == limit && zones.position() != null;
    }

    private static JsonNode settings(CloudflareClient client, String zoneId) throws SkillException {
        ObjectNode settings = JSON.createObjectNode();
        for (JsonNode setting : client.get("/zones/" + Query.segment(zoneId) + "/settings").result()) {
            settings.set(setting.path("id").asText(), setting.path("value"));
        }
        return settings;
    }

    /** The zone this input addresses alone, or null for a listing (filters given, or no zone anywhere). */
    private static String singleZone(JsonNode input, ConnectionInfo connection) {
        if (input.hasNonNull("zone_id")) {
            return input.get("zone_id").asText();
        }
        boolean filtered = input.has("name") || input.has("status") || input.has("account_id")
                || input.has("account_name");
        return filtered ? null : connection.setting("zone_id");
    }
}

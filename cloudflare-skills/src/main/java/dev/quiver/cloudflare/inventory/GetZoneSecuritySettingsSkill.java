package dev.quiver.cloudflare.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.cloudflare.internal.Schemas;
import dev.quiver.cloudflare.internal.ZoneConfig;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The security-relevant settings of one or many zones, from one {@code GET /zones/{zone_id}/settings} per zone:
 * SSL mode, minimum TLS version, Always Use HTTPS, HSTS ({@code security_header}), security level and browser
 * integrity check.
 */
@Extension
public class GetZoneSecuritySettingsSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final PermissionRule SETTINGS_READ = PermissionRule.of(Resources.ZONE, PermissionGroups.ZONE_SETTINGS_READ);
    /** Setting ids (Cloudflare's) and the output field each becomes. */
    private static final Map<String, String> FIELDS = Map.of("ssl", "ssl", "min_tls_version", "min_tls_version",
            "always_use_https", "always_use_https", "security_level", "security_level",
            "browser_check", "browser_integrity_check");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_get_zone_security_settings",
            "Zone security settings",
            "Returns SSL mode, minimum TLS version, Always Use HTTPS, HSTS, security level and browser integrity"
                    + " check of the zones in zone_ids (the connection's default zone when none is given).",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("get_zone_security_settings.input"),
            Schemas.load("get_zone_security_settings.output"),
            List.of(SETTINGS_READ));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Zone Settings Read on each zone asked for. */
    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection)
            throws SkillException {
        List<RequiredPermission> needs = new ArrayList<>();
        for (String zone : zones(input, connection)) {
            needs.add(new RequiredPermission(SETTINGS_READ, zone));
        }
        return needs;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        ZoneConfig config = new ZoneConfig(new CloudflareClient(context));
        ArrayNode zones = JSON.createArrayNode();
        for (String zoneId : zones(input, context.connection())) {
            zones.add(summary(zoneId, config.settings(zoneId)));
        }
        ObjectNode output = JSON.createObjectNode();
        output.set("zones", zones);
        return output;
    }

    /** The zone's security settings as the output shows them; a setting Cloudflare did not return is null. */
    public static ObjectNode summary(String zoneId, Map<String, JsonNode> settings) {
        ObjectNode zone = JSON.createObjectNode().put("zone_id", zoneId);
        for (Map.Entry<String, String> field : FIELDS.entrySet()) {
            zone.set(field.getValue(), settings.getOrDefault(field.getKey(), JSON.nullNode()).deepCopy());
        }
        JsonNode hsts = settings.getOrDefault("security_header", JSON.nullNode()).path("strict_transport_security");
        zone.set("hsts", hsts.isObject() ? hsts.deepCopy() : JSON.nullNode());
        return zone;
    }

    private static List<String> zones(JsonNode input, ConnectionInfo connection) throws SkillException {
        List<String> zones = new ArrayList<>();
        input.path("zone_ids").forEach(zone -> {
            if (!zones.contains(zone.asText())) {
                zones.add(zone.asText());
            }
        });
        if (zones.isEmpty() && connection.setting("zone_id") != null) {
            zones.add(connection.setting("zone_id"));
        }
        if (zones.isEmpty()) {
            throw new SkillException(ErrorCode.INVALID_INPUT, "no zone: the input has no zone_ids and the connection"
                    + " has no zone_id", "Name the zones in zone_ids, or set zone_id on the connection.");
        }
        return zones;
    }
}

package com.example.lantern;

import com.example.lantern.internal.LanternClient;
import com.example.lantern.internal.Schemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import org.pf4j.Extension;

import java.util.List;

/** A read skill: Lantern's open alerts, newest first, optionally of one severity. */
@Extension
public class ListAlertsSkill implements Skill {

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "lantern_list_alerts",
            "List Lantern alerts",
            "Lists the organisation's open alerts, newest first: id, severity, title, host and time.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            LanternConnectionType.ID,
            Schemas.load("list_alerts.input"),
            Schemas.load("list_alerts.output"),
            // Bound by the runner: Lantern's scopes are granted on the key's organisation.
            List.of(PermissionRule.of(LanternConnectionType.ORGANIZATION, LanternConnectionType.ALERTS_READ)));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        LanternClient client = new LanternClient(context);
        int limit = input.path("limit").asInt(25);
        String query = "?limit=" + limit + (input.hasNonNull("severity") ? "&severity=" + input.get("severity").asText()
                : "");
        JsonNode answer = client.get(client.orgPath() + "/alerts" + query);
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.set("alerts", answer.path("alerts"));
        output.put("count", answer.path("alerts").size());
        return output;
    }
}

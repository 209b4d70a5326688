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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A write skill: cuts a host off the network except from Lantern. A dry run says what it would send. */
@Extension
public class IsolateHostSkill implements Skill {

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "lantern_isolate_host",
            "Isolate a host with Lantern",
            "Isolates a host: it keeps talking to Lantern and nothing else until released. Idempotent: isolating an"
                    + " isolated host answers already_isolated.",
            "1.0.0",
            SkillDescriptor.Access.WRITE,
            LanternConnectionType.ID,
            Schemas.load("isolate_host.input"),
            Schemas.load("isolate_host.output"),
            List.of(PermissionRule.of(LanternConnectionType.ORGANIZATION, LanternConnectionType.HOSTS_ISOLATE)));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        LanternClient client = new LanternClient(context);
        String path = client.orgPath() + "/hosts/" + URLEncoder.encode(input.get("host_id").asText(),
                StandardCharsets.UTF_8) + "/isolate";
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("reason", input.get("reason").asText());
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("host_id", input.get("host_id").asText());
        if (context.dryRun()) {
            output.put("status", "dry_run");
            output.putObject("request").put("method", "POST").put("path", path).set("body", body);
            return output;
        }
        JsonNode answer = client.post(path, body);
        output.put("status", answer.path("already_isolated").asBoolean() ? "already_isolated" : "isolated");
        return output;
    }
}

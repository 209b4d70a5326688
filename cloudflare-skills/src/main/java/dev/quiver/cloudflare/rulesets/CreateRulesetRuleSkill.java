package dev.quiver.cloudflare.rulesets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Envelope;
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds a rule to a zone's or the account's ruleset: {@code POST .../rulesets/{ruleset_id}/rules}, or, when the
 * phase's entry-point ruleset does not exist yet, {@code POST .../rulesets} creating it with the rule.
 *
 * <p>Idempotent by {@code rule.ref}: the ruleset is read first and a rule with the same ref is returned instead of
 * adding a second. That is also what makes a retried playbook safe after an ambiguous failure, which the client
 * never repeats by itself. Creating the entry point uses POST, not the entry-point PUT: the PUT replaces every rule,
 * and would wipe the rules of an entry point created meanwhile by someone else; the POST is refused instead.
 */
@Extension
public class CreateRulesetRuleSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRANSFORM_PHASES = Set.of("http_request_transform",
            "http_request_late_transform", "http_response_headers_transform");

    private static final PermissionRule ZONE_WAF = new PermissionRule(Resources.ZONE,
            List.of(PermissionGroups.ZONE_WAF_WRITE), "scope zone, a firewall phase or a ruleset_id");
    private static final PermissionRule ZONE_TRANSFORM = new PermissionRule(Resources.ZONE,
            List.of(PermissionGroups.TRANSFORM_RULES_WRITE), "scope zone, a transform phase");
    private static final PermissionRule ACCOUNT_RULESETS = new PermissionRule(Resources.ACCOUNT,
            List.of(PermissionGroups.ACCOUNT_RULESETS_WRITE, PermissionGroups.ACCOUNT_WAF_WRITE), "scope account");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_create_ruleset_rule",
            "Create ruleset rule",
            "Adds a rule (such as a WAF custom rule blocking an IP) to a ruleset of a zone or of the account,"
                    + " addressed by ruleset_id or by phase (the phase's entry-point ruleset, created when absent)."
                    + " Idempotent by rule.ref; a dry run returns the request it would send and writes nothing.",
            "1.0.0",
            SkillDescriptor.Access.WRITE,
            CloudflareConnectionType.ID,
            Schemas.load("create_ruleset_rule.input"),
            Schemas.load("create_ruleset_rule.output"),
            List.of(ZONE_WAF, ZONE_TRANSFORM, ACCOUNT_RULESETS));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection)
            throws SkillException {
        if (isAccount(input)) {
            return List.of(new RequiredPermission(ACCOUNT_RULESETS, Inputs.accountId(input, connection)));
        }
        // Addressed by ruleset_id alone, the phase is unknown before the ruleset is read: WAF custom rules are what
        // this skill is mostly for, and Cloudflare still refuses a transform ruleset the token may not write.
        String phase = Inputs.text(input, "phase");
        PermissionRule rule = phase != null && TRANSFORM_PHASES.contains(phase) ? ZONE_TRANSFORM : ZONE_WAF;
        return List.of(new RequiredPermission(rule, zone(input, connection)));
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        CloudflareClient client = new CloudflareClient(context);
        boolean account = isAccount(input);
        String owner = account
                ? "/accounts/" + Query.segment(Inputs.accountId(input, context.connection()))
                : "/zones/" + Query.segment(zone(input, context.connection()));
        String rulesetId = Inputs.text(input, "ruleset_id");
        String phase = Inputs.text(input, "phase");
        ObjectNode rule = (ObjectNode) input.get("rule");
        String ref = Inputs.text(rule, "ref");

        JsonNode ruleset = rulesetId != null
                ? client.get(owner + "/rulesets/" + Query.segment(rulesetId)).result()
                : client.find(owner + "/rulesets/phases/" + Query.segment(phase) + "/entrypoint")
                        .map(Envelope::result).orElse(null);

        JsonNode existing = ruleset == null || ref == null ? null : ruleWithRef(ruleset, ref);
        if (existing != null) {
            return output("exists", existing, ruleset, null);
        }

        ObjectNode request = JSON.createObjectNode();
        if (ruleset != null) {
            request.put("method", "POST");
            request.put("path", owner + "/rulesets/" + Query.segment(ruleset.path("id").asText()) + "/rules");
            request.set("body", rule);
        } else {
            ObjectNode body = JSON.createObjectNode();
            body.put("name", "default");
            body.put("description", "Entry point ruleset of " + phase + ", created by Quiver");
            body.put("kind", account ? "root" : "zone");
            body.put("phase", phase);
            body.putArray("rules").add(rule);
            request.put("method", "POST");
            request.put("path", owner + "/rulesets");
            request.set("body", body);
        }
        if (context.dryRun()) {
            return output("dry_run", null, ruleset, request);
        }

        Set<String> before = ruleIds(ruleset);
        JsonNode updated = client.sendJson("POST", request.path("path").asText(), request.get("body")).result();
        JsonNode created = ref != null ? ruleWithRef(updated, ref) : newRule(updated, before);
        if (created == null) {
            throw new SkillException(ErrorCode.UPSTREAM_ERROR,
                    "Cloudflare accepted the rule but its answer does not show it in ruleset "
                            + updated.path("id").asText(),
                    "Check the ruleset in the dashboard before retrying; set rule.ref to make retries safe.",
                    List.of(), null);
        }
        return output("created", created, updated, null);
    }

    private static boolean isAccount(JsonNode input) {
        return "account".equals(Inputs.text(input, "scope"));
    }

    private static String zone(JsonNode input, ConnectionInfo connection) throws SkillException {
        String zone = Inputs.zoneId(input, connection);
        if (zone == null) {
            throw new SkillException(ErrorCode.INVALID_INPUT,
                    "no zone: the input has no zone_id and the connection has no default zone",
                    "Pass zone_id, or scope \"account\" for an account ruleset.",
                    List.of(Map.of("pointer", "/zone_id", "message", "required for scope zone")), null);
        }
        return zone;
    }

    private static JsonNode ruleWithRef(JsonNode ruleset, String ref) {
        for (JsonNode rule : ruleset.path("rules")) {
            if (ref.equals(rule.path("ref").asText(null))) {
                return rule;
            }
        }
        return null;
    }

    private static Set<String> ruleIds(JsonNode ruleset) {
        Set<String> ids = new HashSet<>();
        if (ruleset != null) {
            ruleset.path("rules").forEach(rule -> ids.add(rule.path("id").asText()));
        }
        return ids;
    }

    private static JsonNode newRule(JsonNode ruleset, Set<String> before) {
        for (JsonNode rule : ruleset.path("rules")) {
            if (!before.contains(rule.path("id").asText())) {
                return rule;
            }
        }
        return null;
    }

    private static ObjectNode output(String status, JsonNode rule, JsonNode ruleset, ObjectNode request) {
        ObjectNode output = JSON.createObjectNode();
        output.put("status", status);
        output.set("rule", rule == null ? JSON.nullNode() : rule);
        if (ruleset == null) {
            output.putNull("ruleset");
        } else {
            ObjectNode summary = output.putObject("ruleset");
            summary.put("id", ruleset.path("id").asText());
            summary.set("name", ruleset.path("name").isMissingNode() ? JSON.nullNode() : ruleset.get("name"));
            summary.set("kind", ruleset.path("kind").isMissingNode() ? JSON.nullNode() : ruleset.get("kind"));
            summary.set("phase", ruleset.path("phase").isMissingNode() ? JSON.nullNode() : ruleset.get("phase"));
            summary.set("version", ruleset.path("version").isMissingNode() ? JSON.nullNode() : ruleset.get("version"));
            summary.put("rules_count", ruleset.path("rules").size());
        }
        if (request != null) {
            output.set("request", request);
        }
        return output;
    }
}

package dev.quiver.runner.check;

import dev.quiver.gate.PermissionGate;
import dev.quiver.gate.MissingPermission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.ResourceKind;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.view.ContractJson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

/**
 * {@code connections test}: runs the connection type's verify skill on a connection, then tells, for every
 * installed skill of that type, whether the connection can run it and, when not, which permission is missing. The
 * permissions judged are the connection's own list or, when it has none, those the verify skill discovered.
 */
public final class ConnectionCheck {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

    private ConnectionCheck() {
    }

    /** The check's report; the verify run goes through the pipeline, so it is recorded like any execution. */
    public static ObjectNode run(ExecutionPipeline pipeline, SkillCatalog catalog, Connection connection,
                                 Caller caller, String source) {
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("connection", connection.id());
        report.put("type", connection.type());
        Optional<ConnectionType> type = catalog.connectionType(connection.type());
        if (type.isEmpty()) {
            report.put("verified", false);
            report.put("reason", "no installed plugin provides connection type " + connection.type());
            return report;
        }
        JsonNode verifyOutput = verify(pipeline, catalog, type.get(), connection, caller, source, report);

        List<String> permissions = connection.permissions();
        String basis = "declared";
        if (permissions == null && verifyOutput != null && verifyOutput.at("/permissions/discovered").asBoolean()) {
            permissions = new ArrayList<>();
            for (JsonNode group : verifyOutput.at("/permissions/groups")) {
                if (!"deny".equals(group.path("effect").asText())) {
                    permissions.add(group.path("name").asText());
                }
            }
            basis = "discovered";
        } else if (permissions == null) {
            basis = "unknown";
        }
        ObjectNode held = report.putObject("permissions");
        held.put("basis", basis);
        if (permissions != null) {
            permissions.forEach(held.putArray("groups")::add);
        }
        Connection judged = connection.withPermissions(permissions);

        ArrayNode skills = report.putArray("skills");
        List<String> warnings = new ArrayList<>();
        for (CatalogEntry entry : catalog.entries()) {
            if (entry.connectionType() == type.get()) {
                skills.add(judge(entry, judged, warnings));
            }
        }
        warnings.stream().distinct().forEach(report.putArray("warnings")::add);
        return report;
    }

    private static JsonNode verify(ExecutionPipeline pipeline, SkillCatalog catalog, ConnectionType type,
                                   Connection connection, Caller caller, String source, ObjectNode report) {
        String verifyId = type.verifySkillId();
        if (verifyId == null || catalog.find(verifyId).isEmpty()) {
            report.put("verified", false);
            report.put("reason", "connection type " + type.id() + " has no verify skill installed");
            return null;
        }
        ExecutionResult result = pipeline.execute(new ExecutionRequest(verifyId, connection.id(),
                Json.MAPPER.createObjectNode(), false, VERIFY_TIMEOUT, caller, source));
        boolean valid = result.succeeded() && result.output().path("valid").asBoolean(true);
        report.put("verified", valid);
        report.set("verify", ContractJson.result(result));
        return result.succeeded() ? result.output() : null;
    }

    /**
     * A skill's verdict, by input mode. The modes are read from its permission rules: a conditional rule (one with
     * a {@code when}) is one way of calling the skill, needing that rule and every unconditional one; a skill with
     * unconditional rules can also be called in none of the conditional ways (a details skill called without its optional extras).
     * Ready when every mode can run, partly when some can, blocked when none can.
     */
    private static ObjectNode judge(CatalogEntry entry, Connection connection, List<String> warnings) {
        ObjectNode skill = Json.MAPPER.createObjectNode();
        skill.put("id", entry.id());
        skill.put("access", entry.descriptor().access().name().toLowerCase(Locale.ROOT));
        List<PermissionRule> always = new ArrayList<>();
        List<PermissionRule> conditional = new ArrayList<>();
        List<PermissionRule> optional = new ArrayList<>();
        for (PermissionRule rule : entry.descriptor().permissions()) {
            (rule.optional() ? optional : rule.when() == null ? always : conditional).add(rule);
        }
        List<List<PermissionRule>> modes = new ArrayList<>();
        if (!always.isEmpty() || conditional.isEmpty()) {
            modes.add(always);
        }
        for (PermissionRule rule : conditional) {
            List<PermissionRule> mode = new ArrayList<>(always);
            mode.add(rule);
            modes.add(mode);
        }

        ArrayNode missing = Json.MAPPER.createArrayNode();
        ArrayNode modeReports = Json.MAPPER.createArrayNode();
        java.util.Set<String> listed = new java.util.HashSet<>();
        int runnable = 0;
        for (List<PermissionRule> mode : modes) {
            ObjectNode report = modeReports.addObject();
            PermissionRule condition = mode.isEmpty() ? null : mode.get(mode.size() - 1);
            report.put("when", condition == null || condition.when() == null ? "always" : condition.when());
            ArrayNode lacks = report.putArray("missing");
            for (PermissionRule rule : mode) {
                for (MissingPermission m : missingFor(rule, entry, connection, warnings)) {
                    ObjectNode item = describe(m, rule);
                    lacks.add(item);
                    if (listed.add(item.toString())) {
                        missing.add(item);
                    }
                }
            }
            report.put("can_run", lacks.isEmpty());
            if (lacks.isEmpty()) {
                runnable++;
            }
        }
        boolean unknown = connection.permissions() == null
                || entry.connectionType().unrestrictedAuthMethods().contains(connection.credential().method());
        // Optional rules never block: a missing one makes the skill run with less ("partly"), named with what it enables.
        ArrayNode optionalReports = Json.MAPPER.createArrayNode();
        int optionalMissing = 0;
        for (PermissionRule rule : optional) {
            PermissionRule asRequired = new PermissionRule(rule.scope(), rule.anyOf(), rule.when());
            List<MissingPermission> lacks = missingFor(asRequired, entry, connection, warnings);
            ObjectNode report = optionalReports.addObject();
            report.put("permission", rule.anyOf().get(0));
            report.put("scope", rule.scope());
            report.put("enables", rule.when());
            report.put("granted", unknown && lacks.isEmpty() ? "unknown" : lacks.isEmpty() ? "yes" : "no");
            if (!lacks.isEmpty()) {
                report.put("reason", lacks.get(0).reason());
                optionalMissing++;
            }
        }
        String status = runnable == 0 ? "blocked" : runnable < modes.size() || optionalMissing > 0 ? "partly"
                : unknown ? "unknown" : "ready";
        skill.put("status", status);
        skill.put("can_run", runnable > 0 && !unknown);
        skill.set("missing", missing);
        skill.set("modes", modeReports);
        if (!optional.isEmpty()) {
            skill.set("optional", optionalReports);
        }
        skill.put("why", switch (status) {
            case "blocked" -> "the connection lacks a permission in every way of calling this skill (see modes)";
            case "partly" -> runnable < modes.size()
                    ? "some ways of calling it run and others lack a permission (see modes[].when)"
                    : "it runs, without what its missing optional permissions enable (see optional)";
            case "unknown" -> "the connection's permissions are unknown: the vendor will decide";
            default -> "the connection holds every permission it needs";
        });
        return skill;
    }

    private static List<MissingPermission> missingFor(PermissionRule rule, CatalogEntry entry, Connection connection,
                                                      List<String> warnings) {
        // Judged on the connection's default resource of the rule's kind, or on every one when it has none.
        ResourceKind kind = entry.vocabulary().kind(rule.scope()).orElse(null);
        String resource = null;
        if (kind != null && kind.hasId()) {
            JsonNode fallback = kind.defaultSetting() == null ? null : connection.setting(kind.defaultSetting());
            resource = fallback != null && fallback.isTextual() && !fallback.asText().isEmpty() ? fallback.asText()
                    : RequiredPermission.EVERY;
        }
        PermissionGate.Decision decision = PermissionGate.check(List.of(new RequiredPermission(rule, resource)),
                connection.holder(), entry.connectionType(), entry.vocabulary());
        warnings.addAll(decision.warnings());
        return decision.missing();
    }

    private static ObjectNode describe(MissingPermission m, PermissionRule rule) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("permission", m.permission());
        if (!m.alternatives().isEmpty()) {
            m.alternatives().forEach(item.putArray("alternatives")::add);
        }
        item.put("scope", m.scope());
        item.put("resource", m.resource());
        if (rule.when() != null) {
            item.put("when", rule.when());
        }
        item.put("reason", m.reason());
        return item;
    }
}

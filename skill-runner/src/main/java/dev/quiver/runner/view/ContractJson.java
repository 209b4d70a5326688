package dev.quiver.runner.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.gate.MissingPermission;
import dev.quiver.runner.plugins.PluginReport;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of Quiver's contract, shared by the CLI and the HTTP service. */
public final class ContractJson {

    private ContractJson() {
    }

    /** A skill's descriptor as {@code describe} shows it. */
    public static ObjectNode descriptor(CatalogEntry entry) {
        ObjectNode node = summary(entry);
        node.put("description", entry.descriptor().description());
        node.put("version", entry.descriptor().version());
        node.put("connection_type", entry.descriptor().connectionType());
        node.set("input_schema", entry.descriptor().inputSchema().deepCopy());
        node.set("output_schema", entry.descriptor().outputSchema().deepCopy());
        return node;
    }

    /** A skill as {@code skills --json} lists it. */
    public static ObjectNode summary(CatalogEntry entry) {
        SkillDescriptor d = entry.descriptor();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", d.id());
        node.put("title", d.title());
        node.put("access", d.access().name().toLowerCase(Locale.ROOT));
        ArrayNode permissions = node.putArray("required_permissions");
        for (PermissionRule rule : d.permissions()) {
            ObjectNode p = permissions.addObject();
            rule.anyOf().forEach(p.putArray("any_of")::add);
            p.put("scope", rule.scope());
            if (rule.optional()) {
                // Listed with the rest so a token can be made for all of it; the skill runs without it.
                p.put("optional", true);
                p.put("enables", rule.when());
            } else if (rule.when() != null) {
                p.put("when", rule.when());
            }
        }
        ObjectNode plugin = node.putObject("plugin");
        plugin.put("id", entry.pluginId());
        plugin.put("version", entry.pluginVersion());
        return node;
    }

    /** A successful execution: {@code {"execution_id", "status", "output", ...}}; a failed one: the error object. */
    public static ObjectNode result(ExecutionResult result) {
        if (!result.succeeded()) {
            return error(result.failure(), result.executionId(), result.requestIds());
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("execution_id", result.executionId());
        node.put("status", result.status());
        node.put("skill", result.skillId());
        node.set("output", result.output());
        result.requestIds().forEach(node.putArray("request_ids")::add);
        if (!result.warnings().isEmpty()) {
            result.warnings().forEach(node.putArray("warnings")::add);
        }
        node.put("duration_ms", result.duration().toMillis());
        return node;
    }

    /** The contract's error object. */
    public static ObjectNode error(Failure failure, String executionId, List<String> requestIds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", failure.code().name());
        error.put("message", failure.message());
        ArrayNode details = error.putArray("details");
        for (Map<String, Object> detail : failure.details()) {
            details.add(Json.MAPPER.valueToTree(detail));
        }
        if (failure.detailsCapped()) {
            error.put("details_total", failure.detailsTotal());
        }
        if (failure.remediation() != null && !failure.remediation().isBlank()) {
            error.put("remediation", failure.remediation());
        }
        if (failure.code() == dev.quiver.runner.failure.ErrorCode.PERMISSION_DENIED) {
            ArrayNode missing = error.putArray("missing");
            for (MissingPermission m : failure.missing()) {
                ObjectNode item = missing.addObject();
                item.put("permission", m.permission());
                item.put("scope", m.scope());
                item.put("resource", m.resource());
                if (!m.alternatives().isEmpty()) {
                    m.alternatives().forEach(item.putArray("alternatives")::add);
                }
                item.put("reason", m.reason());
            }
        }
        if (executionId != null) {
            error.put("execution_id", executionId);
        }
        if (requestIds != null && !requestIds.isEmpty()) {
            requestIds.forEach(error.putArray("request_ids")::add);
        }
        return root;
    }

    /** What an install did. */
    public static ObjectNode installed(dev.quiver.runner.catalog.LiveCatalog.Installed installed) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", installed.plugin().id());
        node.put("version", installed.plugin().version());
        node.put("state", installed.plugin().state());
        node.put("path", installed.plugin().path());
        node.put("sha256", installed.sha256());
        installed.skills().forEach(node.putArray("skills")::add);
        if (installed.replaced() != null) {
            node.put("replaced", installed.replaced());
        }
        return node;
    }

    /** Every plugin found, with the skills the catalogue admitted and refused. */
    public static ArrayNode plugins(List<PluginReport> reports, SkillCatalog catalog) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (PluginReport report : reports) {
            ObjectNode node = array.addObject();
            node.put("id", report.id());
            node.put("version", report.version());
            node.put("state", report.state());
            node.put("path", report.path());
            if (report.reason() != null) {
                node.put("reason", report.reason());
            }
            ArrayNode skills = node.putArray("skills");
            catalog.entries().stream().filter(e -> e.pluginId().equals(report.id())).forEach(e -> skills.add(e.id()));
            ArrayNode refused = node.putArray("rejected");
            catalog.rejections().stream().filter(r -> r.pluginId().equals(report.id())).forEach(r -> {
                ObjectNode item = refused.addObject();
                item.put("what", r.what());
                item.put("reason", r.reason());
            });
        }
        return array;
    }

    /** An API key as {@code keys list} and {@code GET /api/v1/keys} show it: never the key, nor its hash. */
    public static ObjectNode key(dev.quiver.runner.access.ApiKey key) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", key.id());
        node.put("role", key.role().jsonName());
        key.scope().patterns().ifPresent(patterns -> patterns.forEach(node.putArray("connections")::add));
        node.put("created_at", key.createdAt().toString());
        if (key.expiresAt() != null) {
            node.put("expires_at", key.expiresAt().toString());
        }
        if (key.revokedAt() != null) {
            node.put("revoked_at", key.revokedAt().toString());
        }
        node.put("active", key.active());
        return node;
    }

    /** A key just created: its view and, this once, the key itself. */
    public static ObjectNode createdKey(dev.quiver.runner.access.ApiKeyStore.CreatedKey created) {
        ObjectNode node = key(created.apiKey());
        node.put("key", created.key());
        return node;
    }
}

package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.ResourceKind;
import dev.quiver.runner.catalog.PermissionVocabulary;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.pipeline.Failure.FailureException;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds the permissions a skill left on their default resource ({@link RequiredPermission#onDefault}) the way their
 * resource kind declares: the input's field, else the connection's default setting. A kind without ids binds to
 * nothing; a kind with ids that neither names is an invalid input, refused before anything is sent.
 */
final class ResourceBinder {

    private ResourceBinder() {
    }

    static List<RequiredPermission> bind(List<RequiredPermission> needs, JsonNode input, Connection connection,
                                         PermissionVocabulary vocabulary) throws FailureException {
        List<RequiredPermission> bound = new ArrayList<>(needs.size());
        for (RequiredPermission need : needs) {
            ResourceKind kind = vocabulary.kind(need.rule().scope()).orElse(null);
            if (need.resource() != null || kind == null || !kind.hasId()) {
                bound.add(kind != null && !kind.hasId() ? new RequiredPermission(need.rule(), null) : need);
                continue;
            }
            String resource = text(input, kind.inputField());
            if (resource == null && kind.defaultSetting() != null) {
                resource = text(connection.settings(), kind.defaultSetting());
            }
            if (resource == null) {
                throw Failure.of(ErrorCode.INVALID_INPUT, "no " + kind.name() + ": " + missing(kind),
                        "Pass " + (kind.inputField() == null ? kind.defaultSetting() + " on the connection"
                                : kind.inputField() + " in the input" + (kind.defaultSetting() == null ? ""
                                : ", or set " + kind.defaultSetting() + " on the connection")) + ".").raise();
            }
            bound.add(new RequiredPermission(need.rule(), resource));
        }
        return List.copyOf(bound);
    }

    private static String missing(ResourceKind kind) {
        String input = kind.inputField() == null ? null : "the input has no " + kind.inputField();
        String setting = kind.defaultSetting() == null ? null
                : "the connection has no " + kind.defaultSetting();
        return input == null ? setting : setting == null ? input : input + " and " + setting;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = field == null || node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}

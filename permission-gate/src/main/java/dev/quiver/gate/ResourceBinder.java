package dev.quiver.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.ResourceKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds the permissions a skill left on their default resource ({@link RequiredPermission#onDefault}) the way their
 * resource kind declares: the input's field, else the connection's default setting. A kind without ids binds to
 * nothing; a kind with ids that neither names is an invalid input, refused before anything is sent.
 */
public final class ResourceBinder {

    private ResourceBinder() {
    }

    /** No resource for a rule: neither the input nor the connection names one. */
    public static final class NoResource extends Exception {
        private final String remediation;

        NoResource(String message, String remediation) {
            super(message, null, false, false);
            this.remediation = remediation;
        }

        /** What the caller should pass. */
        public String remediation() {
            return remediation;
        }
    }

    public static List<RequiredPermission> bind(List<RequiredPermission> needs, JsonNode input, Holder holder,
                                                PermissionVocabulary vocabulary) throws NoResource {
        List<RequiredPermission> bound = new ArrayList<>(needs.size());
        for (RequiredPermission need : needs) {
            ResourceKind kind = vocabulary.kind(need.rule().scope()).orElse(null);
            if (kind != null && !kind.hasId()) {
                bound.add(new RequiredPermission(need.rule(), null));
                continue;
            }
            if (need.resource() != null || kind == null) {
                bound.add(need);
                continue;
            }
            String resource = text(input, kind.inputField());
            if (resource == null && kind.defaultSetting() != null) {
                resource = text(holder.settings(), kind.defaultSetting());
            }
            if (resource == null) {
                throw new NoResource("no " + kind.name() + ": " + missing(kind), "Pass "
                        + (kind.inputField() == null ? kind.defaultSetting() + " on the connection"
                        : kind.inputField() + " in the input" + (kind.defaultSetting() == null ? ""
                        : ", or set " + kind.defaultSetting() + " on the connection")) + ".");
            }
            bound.add(new RequiredPermission(need.rule(), resource));
        }
        return List.copyOf(bound);
    }

    private static String missing(ResourceKind kind) {
        String input = kind.inputField() == null ? null : "the input has no " + kind.inputField();
        String setting = kind.defaultSetting() == null ? null : "the connection has no " + kind.defaultSetting();
        return input == null ? setting : setting == null ? input : input + " and " + setting;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = field == null || node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}

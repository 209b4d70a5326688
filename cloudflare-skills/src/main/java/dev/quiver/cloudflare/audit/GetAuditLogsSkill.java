package dev.quiver.cloudflare.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Envelope;
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.OpaqueToken;
import dev.quiver.cloudflare.internal.PagedQuery;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The account's audit logs ({@code GET /accounts/{account_id}/audit_logs}, pages of up to 1000), filtered as the
 * endpoint allows, with a cursor to continue where {@code limit} stopped.
 */
@Extension
public class GetAuditLogsSkill implements Skill {

    /** Cloudflare's maximum per_page for the audit-log endpoints. */
    static final int MAX_PER_PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Input fields that shape the query: a cursor only continues a call with the same ones. */
    private static final List<String> FILTERS = List.of("account_id", "actor_email", "actor_ip", "action_type",
            "zone_name", "since", "before", "direction", "hide_user_logs");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_get_audit_logs",
            "Audit logs",
            "Returns the account's audit-log entries (changes and activities), filtered by actor email or IP,"
                    + " action type, zone name and time range, newest first unless direction is asc; fetches pages"
                    + " until limit entries are collected and returns next_cursor to continue.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("get_audit_logs.input"),
            Schemas.load("get_audit_logs.output"),
            List.of(new PermissionRule(Resources.ACCOUNT, List.of(PermissionGroups.ACCOUNT_SETTINGS_READ), null)));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        int limit = input.path("limit").asInt(100);
        ObjectNode filters = Inputs.pick(input, FILTERS);
        boolean descending = !"asc".equals(Inputs.text(input, "direction"));

        int perPage = Math.min(limit, MAX_PER_PAGE);
        int page = 1;
        int skip = 0;
        // Newest-first pages shift as entries arrive: a first call pins 'before' so its cursor reads a still list.
        String before = Inputs.text(input, "before");
        if (before == null && descending) {
            before = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        String cursor = Inputs.text(input, "cursor");
        if (cursor != null) {
            ObjectNode state = OpaqueToken.decode(cursor, filters, "cursor");
            perPage = state.path("per_page").asInt(perPage);
            page = state.path("page").asInt(1);
            skip = state.path("skip").asInt(0);
            before = state.hasNonNull("before") ? state.get("before").asText() : before;
        }

        String path = new Query()
                .add("actor.email", Inputs.text(input, "actor_email"))
                .add("actor.ip", Inputs.text(input, "actor_ip"))
                .add("action.type", Inputs.text(input, "action_type"))
                .add("zone.name", Inputs.text(input, "zone_name"))
                .add("since", Inputs.text(input, "since"))
                .add("before", before)
                .add("direction", descending ? "desc" : "asc")
                .add("hide_user_logs", Boolean.TRUE.equals(Inputs.bool(input, "hide_user_logs")) ? true : null)
                .appendTo("/accounts/" + Query.segment(Inputs.accountId(input, context.connection())) + "/audit_logs");
        PagedQuery entries = new PagedQuery(new CloudflareClient(context), path, perPage, Envelope::result, page, skip);

        ArrayNode collected = JSON.createArrayNode();
        entries.drainInto(collected, limit);
        PagedQuery.Position next = collected.size() == limit ? entries.position() : null;

        ObjectNode output = JSON.createObjectNode();
        output.set("entries", collected);
        output.put("count", collected.size());
        output.put("truncated", next != null);
        if (next == null) {
            output.putNull("next_cursor");
        } else {
            ObjectNode state = JSON.createObjectNode()
                    .put("page", next.page())
                    .put("skip", next.skip())
                    .put("per_page", entries.perPage())
                    .put("before", before);
            output.put("next_cursor", OpaqueToken.encode(state, filters));
        }
        return output;
    }
}

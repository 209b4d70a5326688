package dev.quiver.cloudflare.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionRule;
import dev.quiver.cloudflare.internal.Resources;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Inputs;
import dev.quiver.cloudflare.internal.OpaqueToken;
import dev.quiver.cloudflare.internal.PagedQuery;
import dev.quiver.cloudflare.internal.PermissionGroups;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Audit-log events for detection pipelines: oldest first, normalized, with a checkpoint for the next poll.
 *
 * <p>The checkpoint is a watermark time plus the ids already returned <em>at</em> that time. The next poll asks
 * Cloudflare from one second before the watermark (its {@code since} may be exclusive and its clock granularity is
 * a second), then drops what is older than the watermark or was already returned: events sharing a timestamp are
 * neither repeated nor skipped, whatever order Cloudflare lists them in. Events younger than {@code settle_seconds}
 * wait for the next poll, so an event indexed late is not passed by the watermark.
 *
 * <p>With several zones, one asc stream per zone (Cloudflare filters one zone name per request) is merged by time.
 */
@Extension
public class GetAuditLogsForDetectionsSkill implements Skill {

    static final int MAX_PER_PAGE = 1000;
    private static final Duration DEFAULT_LOOKBACK = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILTERS = List.of("account_id", "actor_email", "actor_ip", "zones");

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_get_audit_logs_for_detections",
            "Audit logs for detections",
            "Returns the account's audit-log events oldest first as normalized records (time, actor, IP, action,"
                    + " result, resource, zone, old and new value), filtered by actor email or IP, time range and"
                    + " zones, with a checkpoint: passed back on the next poll it returns only newer events, without"
                    + " duplicates or gaps.",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("get_audit_logs_for_detections.input"),
            Schemas.load("get_audit_logs_for_detections.output"),
            List.of(new PermissionRule(Resources.ACCOUNT, List.of(PermissionGroups.ACCOUNT_SETTINGS_READ), null)));

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        int limit = input.path("limit").asInt(500);
        ObjectNode filters = Inputs.pick(input, FILTERS);

        Instant now = Instant.now();
        Instant before = now.minusSeconds(input.path("settle_seconds").asInt(60));
        if (input.hasNonNull("before")) {
            before = min(before, parse(input.get("before").asText(), "before"));
        }
        Instant after;
        Set<String> seen = new HashSet<>();
        if (input.hasNonNull("checkpoint")) {
            ObjectNode state = OpaqueToken.decode(input.get("checkpoint").asText(), filters, "checkpoint");
            after = parse(state.path("after").asText(), "checkpoint");
            state.path("seen").forEach(id -> seen.add(id.asText()));
        } else {
            after = input.hasNonNull("since") ? parse(input.get("since").asText(), "since") : now.minus(DEFAULT_LOOKBACK);
        }

        ArrayNode events = JSON.createArrayNode();
        if (after.isBefore(before)) {
            List<ZoneStream> streams = streams(input, context, after, before, limit + seen.size());
            collect(streams, after, before, seen, limit, events);
        }
        boolean more = events.size() == limit;

        ObjectNode checkpoint = checkpoint(events, more, after, before, seen);

        ObjectNode output = JSON.createObjectNode();
        output.set("events", events);
        output.put("count", events.size());
        output.put("checkpoint", OpaqueToken.encode(checkpoint, filters));
        output.put("more", more);
        return output;
    }

    /**
     * Where the next poll starts. Stopped at the limit: at the last event's time, with every id delivered at that
     * time (those of earlier polls too, when it is still the same time). Otherwise everything before {@code before}
     * was delivered: it starts there, nothing seen yet — unless there was no window to read at all, which keeps the
     * old state.
     */
    private static ObjectNode checkpoint(ArrayNode events, boolean more, Instant after, Instant before,
                                         Set<String> seen) {
        ObjectNode checkpoint = JSON.createObjectNode();
        if (!more) {
            boolean read = after.isBefore(before);
            checkpoint.put("after", (read ? before : after).toString());
            (read ? Set.<String>of() : seen).forEach(checkpoint.putArray("seen")::add);
            return checkpoint;
        }
        String last = events.get(events.size() - 1).path("time").asText();
        Set<String> atLast = new LinkedHashSet<>();
        if (Instant.parse(last).equals(after)) {
            atLast.addAll(seen);
        }
        events.forEach(event -> {
            if (event.path("time").asText().equals(last)) {
                atLast.add(event.path("id").asText());
            }
        });
        checkpoint.put("after", last);
        atLast.forEach(checkpoint.putArray("seen")::add);
        return checkpoint;
    }

    private static List<ZoneStream> streams(JsonNode input, SkillContext context, Instant after, Instant before,
                                        int wanted) {
        CloudflareClient client = new CloudflareClient(context);
        String path = "/accounts/" + Query.segment(Inputs.accountId(input, context.connection())) + "/audit_logs";
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, wanted));
        List<String> zones = new ArrayList<>();
        input.path("zones").forEach(zone -> zones.add(zone.asText()));
        if (zones.isEmpty()) {
            zones.add(null);
        }
        List<ZoneStream> streams = new ArrayList<>();
        for (String zone : zones) {
            String query = new Query()
                    .add("actor.email", Inputs.text(input, "actor_email"))
                    .add("actor.ip", Inputs.text(input, "actor_ip"))
                    .add("zone.name", zone)
                    .add("since", after.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1).toString())
                    .add("before", before.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString())
                    .add("direction", "asc")
                    .appendTo(path);
            streams.add(new ZoneStream(PagedQuery.of(client, query, perPage)));
        }
        return streams;
    }

    /** Merges the streams by (time, id) into {@code events}, keeping only what is new in [after, before). */
    private static void collect(List<ZoneStream> streams, Instant after, Instant before, Set<String> seen, int limit,
                                ArrayNode events) throws SkillException {
        while (events.size() < limit) {
            ZoneStream earliest = null;
            for (ZoneStream stream : streams) {
                if (stream.advance(after, before, seen) && (earliest == null || stream.compareTo(earliest) < 0)) {
                    earliest = stream;
                }
            }
            if (earliest == null) {
                return;
            }
            events.add(normalize(earliest.take(), earliest.headTime));
        }
    }

    /** One zone's asc audit-log listing with its next wanted entry. */
    private static final class ZoneStream implements Comparable<ZoneStream> {
        private final PagedQuery entries;
        private JsonNode head;
        private Instant headTime;

        ZoneStream(PagedQuery entries) {
            this.entries = entries;
        }

        /** Skips entries outside the window or already delivered; false when none is left. */
        boolean advance(Instant after, Instant before, Set<String> seen) throws SkillException {
            while (head == null) {
                JsonNode entry = entries.next();
                if (entry == null) {
                    return false;
                }
                Instant time = parse(entry.path("when").asText(), null);
                if (!time.isBefore(before)) {
                    return false;
                }
                boolean old = time.isBefore(after) || (time.equals(after) && seen.contains(entry.path("id").asText()));
                if (!old) {
                    head = entry;
                    headTime = time;
                }
            }
            return true;
        }

        JsonNode take() {
            JsonNode taken = head;
            head = null;
            return taken;
        }

        @Override
        public int compareTo(ZoneStream other) {
            int byTime = headTime.compareTo(other.headTime);
            return byTime != 0 ? byTime : head.path("id").asText().compareTo(other.head.path("id").asText());
        }
    }

    private static ObjectNode normalize(JsonNode entry, Instant time) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", entry.path("id").asText());
        event.put("time", time.toString());
        ObjectNode actor = event.putObject("actor");
        actor.set("id", textOrNull(entry.path("actor").path("id")));
        actor.set("email", textOrNull(entry.path("actor").path("email")));
        actor.set("type", textOrNull(entry.path("actor").path("type")));
        event.set("ip", textOrNull(entry.path("actor").path("ip")));
        event.set("action", textOrNull(entry.path("action").path("type")));
        JsonNode result = entry.path("action").path("result");
        event.put("result", result.isBoolean() ? (result.asBoolean() ? "success" : "failure") : "unknown");
        ObjectNode resource = event.putObject("resource");
        resource.set("id", textOrNull(entry.path("resource").path("id")));
        resource.set("type", textOrNull(entry.path("resource").path("type")));
        event.set("zone", textOrNull(entry.path("metadata").path("zone_name")));
        event.set("interface", textOrNull(entry.path("interface")));
        event.set("old_value", entry.hasNonNull("oldValue") ? entry.get("oldValue") : JSON.nullNode());
        event.set("new_value", entry.hasNonNull("newValue") ? entry.get("newValue") : JSON.nullNode());
        event.set("metadata", entry.path("metadata").isObject() ? entry.get("metadata") : JSON.nullNode());
        return event;
    }

    private static JsonNode textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? JSON.getNodeFactory().textNode(node.asText()) : JSON.nullNode();
    }

    /** An RFC 3339 time; {@code field} names the input it came from, null for Cloudflare's own answer. */
    private static Instant parse(String text, String field) throws SkillException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            if (field == null) {
                throw new SkillException(ErrorCode.UPSTREAM_ERROR,
                        "Cloudflare returned an audit-log entry without a valid time: '" + text + "'",
                        "Retry later; the entry cannot be placed in time, so nothing was skipped silently.",
                        List.of(), e);
            }
            throw new SkillException(ErrorCode.INVALID_INPUT, "/" + field + " is not an RFC 3339 time",
                    "Pass the value as returned, or a time like 2026-11-23T08:00:00Z.",
                    List.of(Map.of("pointer", "/" + field, "message", "not an RFC 3339 time")), e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

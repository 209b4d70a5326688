package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.SkillException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a zone's (or an account's) configuration the way the inventory skills and the posture review both need it,
 * each call one endpoint of the official spec with only the query parameters it declares.
 */
public final class ZoneConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** DNS records per page: the spec allows up to 5,000,000; a page this size keeps each answer small. */
    private static final int DNS_PER_PAGE = 500;
    /** The spec's bound for list items per page (cursor paging). */
    private static final int LIST_ITEMS_PER_PAGE = 500;

    private final CloudflareClient client;

    public ZoneConfig(CloudflareClient client) {
        this.client = client;
    }

    /** GET /zones/{id}/dns_records, filtered by type and name (both optional), up to {@code limit}. */
    public ArrayNode dnsRecords(String zoneId, String type, String name, int limit) throws SkillException {
        String path = new Query().add("type", type).add("name", name).appendTo(zone(zoneId) + "/dns_records");
        ArrayNode records = JSON.createArrayNode();
        PagedQuery.of(client, path, Math.min(DNS_PER_PAGE, Math.max(5, limit))).drainInto(records, limit);
        return records;
    }

    /** GET /zones/{id}/settings as setting id to value (a setting without an id is skipped). */
    public Map<String, JsonNode> settings(String zoneId) throws SkillException {
        Map<String, JsonNode> settings = new LinkedHashMap<>();
        for (JsonNode setting : client.get(zone(zoneId) + "/settings").result()) {
            if (setting.hasNonNull("id")) {
                settings.put(setting.get("id").asText(), setting.path("value"));
            }
        }
        return settings;
    }

    /** The owner's entry point ruleset of {@code phase}, or empty when the phase has none (404 / 10003). */
    public Optional<JsonNode> entrypoint(String ownerPath, String phase) throws SkillException {
        return client.find(ownerPath + "/rulesets/phases/" + Query.segment(phase) + "/entrypoint")
                .map(Envelope::result)
                .filter(JsonNode::isObject);
    }

    /** GET /zones/{id}/pagerules. */
    public JsonNode pageRules(String zoneId) throws SkillException {
        return arrayOf(client.get(zone(zoneId) + "/pagerules").result());
    }

    /** GET /zones/{id}/workers/routes. */
    public JsonNode workerRoutes(String zoneId) throws SkillException {
        return arrayOf(client.get(zone(zoneId) + "/workers/routes").result());
    }

    /** GET /accounts/{id}/workers/scripts. */
    public JsonNode workerScripts(String accountId) throws SkillException {
        return arrayOf(client.get("/accounts/" + Query.segment(accountId) + "/workers/scripts").result());
    }

    /** GET /accounts/{id}/rules/lists. */
    public JsonNode lists(String accountId) throws SkillException {
        return arrayOf(client.get("/accounts/" + Query.segment(accountId) + "/rules/lists").result());
    }

    /** Every item of a list: GET /accounts/{id}/rules/lists/{list_id}/items, following {@code cursors.after}. */
    public ArrayNode listItems(String accountId, String listId, int limit) throws SkillException {
        ArrayNode items = JSON.createArrayNode();
        String cursor = null;
        do {
            String path = new Query().add("cursor", cursor).add("per_page", LIST_ITEMS_PER_PAGE)
                    .appendTo("/accounts/" + Query.segment(accountId) + "/rules/lists/" + Query.segment(listId)
                            + "/items");
            Envelope page = client.get(path);
            for (JsonNode item : page.result()) {
                if (items.size() < limit) {
                    items.add(item);
                }
            }
            JsonNode after = page.resultInfo().path("cursors").path("after");
            String next = after.isTextual() && !after.asText().isEmpty() ? after.asText() : null;
            // A cursor that does not move would loop forever: stop.
            cursor = next == null || next.equals(cursor) || page.result().isEmpty() ? null : next;
        } while (cursor != null && items.size() < limit);
        return items;
    }

    /** The object's rules as an array (a ruleset without rules has none). */
    public static JsonNode rules(JsonNode ruleset) {
        return arrayOf(ruleset.path("rules"));
    }

    public static String zone(String zoneId) {
        return "/zones/" + Query.segment(zoneId);
    }

    private static JsonNode arrayOf(JsonNode node) {
        return node != null && node.isArray() ? node : JSON.createArrayNode();
    }

    /** A copy of {@code source} with only {@code fields}, those present. */
    public static ObjectNode pick(JsonNode source, String... fields) {
        ObjectNode picked = JSON.createObjectNode();
        for (String field : fields) {
            if (source.has(field)) {
                picked.set(field, source.get(field));
            }
        }
        return picked;
    }
}

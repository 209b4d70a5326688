package dev.quiver.cloudflare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Cloudflare API v4 bodies shaped as the official spec and FACTS.md describe them. */
public final class CloudflareFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    public static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";

    private CloudflareFixtures() {
    }

    /** {@code {"success": true, "errors": [], "messages": [], "result": result}}. */
    public static String ok(JsonNode result) {
        ObjectNode body = JSON.createObjectNode().put("success", true);
        body.putArray("errors");
        body.putArray("messages");
        body.set("result", result);
        return body.toString();
    }

    /** A page of a page/per_page list with its {@code result_info}. */
    public static String page(List<? extends JsonNode> items, int page, int perPage, int totalCount) {
        ObjectNode body = JSON.createObjectNode().put("success", true);
        body.putArray("errors");
        body.putArray("messages");
        body.putArray("result").addAll(items.stream().map(JsonNode.class::cast).toList());
        body.putObject("result_info")
                .put("page", page)
                .put("per_page", perPage)
                .put("count", items.size())
                .put("total_count", totalCount)
                .put("total_pages", (totalCount + perPage - 1) / perPage);
        return body.toString();
    }

    /** {@code {"success": false, "errors": [{"code": code, "message": message}], "result": null}}. */
    public static String failure(int code, String message) {
        ObjectNode body = JSON.createObjectNode().put("success", false);
        body.putArray("errors").addObject().put("code", code).put("message", message);
        body.putArray("messages");
        body.putNull("result");
        return body.toString();
    }

    /** A v1 audit-log entry (aaa_audit-logs). */
    public static ObjectNode auditEntry(String id, String when, String email, String ip, String action,
                                        String zoneName) {
        ObjectNode entry = JSON.createObjectNode().put("id", id).put("when", when).put("interface", "API");
        entry.putObject("action").put("type", action).put("result", true);
        entry.putObject("actor").put("id", "f6b5de0326bb5182b8a4840ee01ec774").put("email", email).put("ip", ip)
                .put("type", "user");
        entry.putObject("owner").put("id", ACCOUNT);
        entry.putObject("resource").put("id", "2f2feab2026849078ba485f918791bdc").put("type", "zone");
        ObjectNode metadata = entry.putObject("metadata");
        if (zoneName != null) {
            metadata.put("zone_name", zoneName);
        }
        entry.put("oldValue", "high");
        entry.put("newValue", "low");
        return entry;
    }

    public static ArrayNode array(JsonNode... items) {
        ArrayNode array = JSON.createArrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    /** A connection's non-secret view with Cloudflare's settings: the account and default zone ({@code null}: none). */
    public static dev.quiver.api.ConnectionInfo connectionInfo(String id, String account, String zone,
                                                               String fingerprint) {
        com.fasterxml.jackson.databind.node.ObjectNode settings = JSON.createObjectNode().put("account_id", account);
        if (zone != null) {
            settings.put("zone_id", zone);
        }
        return new dev.quiver.api.ConnectionInfo(id, "cloudflare", "api_token", settings, fingerprint);
    }

    /**
     * The plugin testkit's harness for Cloudflare skills against {@code baseUrl} (WireMock): the real Cloudflare
     * type's gate, a connection for {@link #ACCOUNT} with default zone {@link #ZONE}, permissions unknown. Each harness
     * has its own token, so the process-wide pacer of one test never slows another.
     */
    public static dev.quiver.testkit.SkillHarness harness(String baseUrl) {
        return dev.quiver.testkit.SkillHarness.of(new dev.quiver.cloudflare.CloudflareConnectionType(),
                dev.quiver.testkit.TestConnection.of("cloudflare", "api_token",
                                java.util.Map.of("token", "test-token-" + java.util.UUID.randomUUID()), baseUrl)
                        .withSetting("account_id", ACCOUNT).withSetting("zone_id", ZONE));
    }
}

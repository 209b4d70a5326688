package dev.quiver.cloudflare.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.internal.CloudflareClient;
import dev.quiver.cloudflare.internal.Envelope;
import dev.quiver.cloudflare.internal.Query;
import dev.quiver.cloudflare.internal.Schemas;
import org.pf4j.Extension;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Verifies the connection's credential and discovers the token's permission groups where the token may read its
 * own policies. A user-owned token is verified at {@code /user/tokens/verify}, an account-owned one at
 * {@code /accounts/{account_id}/tokens/verify}, a Global API key by reading {@code /user}.
 */
@Extension
public class VerifyConnectionSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SkillDescriptor DESCRIPTOR = new SkillDescriptor(
            "cloudflare_verify_connection",
            "Verify connection",
            "Checks that the connection's credential works, reports its status and expiry, and lists the token's"
                    + " permission groups and resources when the token may read its own policies (API Tokens Read or"
                    + " Account API Tokens Read).",
            "1.0.0",
            SkillDescriptor.Access.READ,
            CloudflareConnectionType.ID,
            Schemas.load("verify_connection.input"),
            Schemas.load("verify_connection.output"),
            List.of());

    @Override
    public SkillDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Verifying needs no permission: Cloudflare answers token verification for any token. */
    @Override
    public List<RequiredPermission> requiredPermissions(JsonNode input, ConnectionInfo connection) {
        return List.of();
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
        CloudflareClient client = new CloudflareClient(context);
        ConnectionInfo connection = context.connection();
        ObjectNode output = JSON.createObjectNode();
        output.put("auth_method", connection.authMethod());

        if ("global_api_key".equals(connection.authMethod())) {
            JsonNode user = client.get("/user").result();
            output.put("valid", true);
            output.put("status", "active");
            if (user.hasNonNull("email")) {
                output.put("user_email", user.get("email").asText());
            }
            output.set("permissions", undiscovered("a Global API key holds every permission of its user;"
                    + " prefer a scoped API token"));
            return output;
        }

        String accountPath = "/accounts/" + Query.segment(connection.setting("account_id"));
        String owner = "user";
        JsonNode token;
        try {
            token = client.get("/user/tokens/verify").result();
        } catch (SkillException userVerifyFailed) {
            if (userVerifyFailed.code() != ErrorCode.AUTHENTICATION_FAILED
                    && userVerifyFailed.code() != ErrorCode.PERMISSION_DENIED) {
                throw userVerifyFailed;
            }
            // An account-owned token is unknown to /user/tokens/verify: ask its account.
            token = client.get(accountPath + "/tokens/verify").result();
            owner = "account";
        }
        String status = token.path("status").asText("unknown");
        output.put("valid", "active".equals(status));
        output.put("status", status);
        output.put("token_owner", owner);
        if (token.hasNonNull("id")) {
            output.put("token_id", token.get("id").asText());
        }
        output.set("not_before", token.path("not_before").isMissingNode() ? JSON.nullNode() : token.get("not_before"));
        output.set("expires_on", token.path("expires_on").isMissingNode() ? JSON.nullNode() : token.get("expires_on"));

        if (!input.path("discover_permissions").asBoolean(true)) {
            output.set("permissions", undiscovered("discovery was not requested"));
        } else if (!token.hasNonNull("id") || token.get("id").asText().isEmpty()) {
            output.set("permissions", undiscovered("Cloudflare returned no token id to look the policies up by"));
        } else {
            String details = ("account".equals(owner) ? accountPath : "/user") + "/tokens/" + Query.segment(token.get("id").asText());
            output.set("permissions", discover(client, details, owner));
        }
        return output;
    }

    private static ObjectNode discover(CloudflareClient client, String path, String owner) throws SkillException {
        Envelope details;
        try {
            details = client.get(path);
        } catch (SkillException e) {
            if (e.code() == ErrorCode.PERMISSION_DENIED || e.code() == ErrorCode.AUTHENTICATION_FAILED) {
                return undiscovered("the token may not read its own policies: it needs "
                        + ("account".equals(owner) ? "Account API Tokens Read" : "API Tokens Read")
                        + " to be discovered; otherwise list its groups in the connection's permissions");
            }
            throw e;
        }
        ArrayNode groups = JSON.createArrayNode();
        for (JsonNode policy : details.result().path("policies")) {
            ArrayNode resources = JSON.createArrayNode();
            collectResources(policy.path("resources"), "", resources);
            for (JsonNode group : policy.path("permission_groups")) {
                ObjectNode entry = groups.addObject();
                entry.put("name", group.path("name").asText());
                entry.put("effect", policy.path("effect").asText("allow"));
                entry.set("resources", resources.deepCopy());
            }
        }
        ObjectNode permissions = JSON.createObjectNode();
        permissions.put("discovered", true);
        permissions.set("groups", groups);
        return permissions;
    }

    /** Flattens {"com.cloudflare.api.account.X": {"com.cloudflare.api.account.zone.*": "*"}} to its leaf keys. */
    private static void collectResources(JsonNode resources, String parent, ArrayNode into) {
        Iterator<Map.Entry<String, JsonNode>> fields = resources.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject()) {
                collectResources(field.getValue(), field.getKey(), into);
            } else {
                into.add(parent.isEmpty() ? field.getKey() : field.getKey() + " (in " + parent + ")");
            }
        }
    }

    private static ObjectNode undiscovered(String reason) {
        ObjectNode permissions = JSON.createObjectNode();
        permissions.put("discovered", false);
        permissions.put("reason", reason);
        return permissions;
    }
}

package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.SkillException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a failed Cloudflare response into the contract's error codes. Cloudflare publishes no complete list of its
 * codes; these are the ones observed in the wild (see the plugin's README).
 */
final class CloudflareErrors {

    /** Malformed or unknown credentials: 1000 invalid token, 6003/61xx bad auth headers, 9103 unknown key, 9106 none. */
    private static final Set<Integer> BAD_CREDENTIAL = Set.of(1000, 6003, 6100, 6101, 6102, 6103, 6111, 9103, 9106);
    /** "Unauthorized to access requested resource" / "Authentication error": no permission, or a bad token. */
    private static final Set<Integer> FORBIDDEN = Set.of(9109, 10000);
    /** "Could not route to ..., perhaps your object identifier is invalid?" */
    private static final Set<Integer> NO_ROUTE = Set.of(7000, 7003);

    private CloudflareErrors() {
    }

    static SkillException toException(HttpRequest request, HttpResponse response, JsonNode body, String path,
                                      CloudflareClient client) {
        int status = response.status();
        List<Integer> codes = new ArrayList<>();
        List<Map<String, Object>> details = new ArrayList<>();
        StringBuilder said = new StringBuilder();
        for (JsonNode error : body.path("errors")) {
            Map<String, Object> detail = new LinkedHashMap<>();
            if (error.has("code")) {
                codes.add(error.path("code").asInt());
                detail.put("cloudflare_code", error.path("code").asInt());
            }
            detail.put("message", error.path("message").asText());
            details.add(detail);
            said.append(said.length() == 0 ? "" : "; ").append(error.path("message").asText());
        }
        details.add(Map.of("http_status", status, "method", request.method(), "path", path));
        String cloudflareSays = said.length() == 0 ? "HTTP " + status : said.toString();

        if (status == 429) {
            String retryAfter = response.header("retry-after");
            Map<String, Object> wait = new LinkedHashMap<>();
            wait.put("retry_after_seconds", retryAfter == null ? null : parseLong(retryAfter));
            details.add(wait);
            return new SkillException(ErrorCode.RATE_LIMITED,
                    "Cloudflare's rate limit held after retrying: " + cloudflareSays,
                    "Retry " + (retryAfter == null ? "in a few minutes" : "after " + retryAfter + " seconds")
                            + ". Cloudflare allows this credential " + client.quota() + " requests per 5 minutes, across"
                            + " the dashboard and the API; spread large jobs out or use a separate token.",
                    details, null);
        }
        if (status == 401 || codes.stream().anyMatch(BAD_CREDENTIAL::contains)) {
            return authenticationFailed(cloudflareSays, details);
        }
        if (status == 403 || codes.stream().anyMatch(FORBIDDEN::contains)) {
            if (!client.credentialWorks()) {
                return authenticationFailed(cloudflareSays, details);
            }
            return new SkillException(ErrorCode.PERMISSION_DENIED,
                    "Cloudflare refused " + request.method() + " " + path + ": " + cloudflareSays,
                    "The credential is valid but lacks a permission for this resource. Check the token's permission"
                            + " groups and the accounts and zones they cover (the skill's required_permissions in"
                            + " 'describe' lists what it needs), and list the same groups in the connection's"
                            + " permissions so Quiver can check them before calling Cloudflare.",
                    details, null);
        }
        if (status == 404 || codes.stream().anyMatch(NO_ROUTE::contains)) {
            return new SkillException(ErrorCode.NOT_FOUND,
                    "Cloudflare found nothing at " + path + ": " + cloudflareSays,
                    "Check the ids in " + path + ": an account or zone id is the 32-character hex id from the"
                            + " dashboard's Overview page, not a name.",
                    details, null);
        }
        return new SkillException(ErrorCode.UPSTREAM_ERROR,
                "Cloudflare refused " + request.method() + " " + path + ": " + cloudflareSays,
                status >= 500 ? "Cloudflare failed; retry later or check https://www.cloudflarestatus.com."
                        : "Correct the request as Cloudflare's message says.",
                details, null);
    }

    private static SkillException authenticationFailed(String cloudflareSays, List<Map<String, Object>> details) {
        return new SkillException(ErrorCode.AUTHENTICATION_FAILED,
                "Cloudflare rejected the connection's credential: " + cloudflareSays,
                "The credential is invalid, expired or revoked. Create a new API token (dashboard: My Profile > API"
                        + " Tokens) and update the connection.",
                details, null);
    }

    private static Long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cloudflare API v4 subset the skills use, answered from a {@link SandboxWorld} with the official envelope,
 * statuses and error codes (shared/cloudflare-api/FACTS.md). One instance serves one sandbox; thread-safe.
 */
final class SandboxApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> ACTIONS = Set.of("block", "challenge", "js_challenge", "managed_challenge",
            "log", "skip", "execute", "rewrite", "redirect", "route", "set_config", "serve_error", "score",
            "compress_response", "set_cache_settings", "log_custom_field", "ddos_dynamic", "force_connection_close");

    private final SandboxWorld world;
    private final String token;
    private final String tokenId;
    private final SandboxOAuth oauth;

    SandboxApi(SandboxWorld world, String token, String tokenId, SandboxOAuth oauth) {
        this.world = world;
        this.token = token;
        this.tokenId = tokenId;
        this.oauth = oauth;
    }

    /**
     * The permission group each route needs, checked for OAuth access tokens only (the sandbox's API token holds
     * every group it serves). The first matching pattern decides; a path matching none needs no permission.
     */
    private static final List<Map.Entry<Pattern, String>> ROUTE_PERMISSIONS = List.of(
            Map.entry(Pattern.compile("/zones/[^/]+/settings(/.*)?"), "Zone Settings Read"),
            Map.entry(Pattern.compile("/zones/[^/]+/dns_records"), "DNS Read"),
            Map.entry(Pattern.compile("/zones/[^/]+/pagerules"), "Page Rules Read"),
            Map.entry(Pattern.compile("/zones/[^/]+/workers/routes"), "Workers Routes Read"),
            Map.entry(Pattern.compile("/accounts/[^/]+/workers/scripts"), "Workers Scripts Read"),
            Map.entry(Pattern.compile("/accounts/[^/]+/rules/lists(/.*)?"), "Account Filter Lists Read"),
            Map.entry(Pattern.compile("/accounts/[^/]+/audit_logs"), "Account Settings Read"),
            Map.entry(Pattern.compile("/(accounts|zones)/[^/]+/security-center/.*"), "Account Settings Read"),
            Map.entry(Pattern.compile("/(accounts|zones)/[^/]+/access/apps"), "Access: Apps and Policies Read"),
            Map.entry(Pattern.compile("GET /zones/[^/]+/rulesets(/.*)?"), "Zone WAF Read"),
            Map.entry(Pattern.compile("[A-Z]+ /zones/[^/]+/rulesets(/.*)?"), "Zone WAF Write"),
            Map.entry(Pattern.compile("GET /accounts/[^/]+/rulesets(/.*)?"), "Account Rulesets Read"),
            Map.entry(Pattern.compile("[A-Z]+ /accounts/[^/]+/rulesets(/.*)?"), "Account Rulesets Write"),
            Map.entry(Pattern.compile("/zones(/[^/]+)?"), "Zone Read"));

    static String requiredPermission(String method, String path) {
        for (Map.Entry<Pattern, String> route : ROUTE_PERMISSIONS) {
            String pattern = route.getKey().pattern();
            String subject = Character.isUpperCase(pattern.charAt(0)) || pattern.startsWith("[A-Z]")
                    ? method + " " + path : path;
            if (route.getKey().matcher(subject).matches()) {
                return route.getValue();
            }
        }
        return null;
    }

    /** A request as the server hands it over. */
    record Call(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                byte[] body) {
        String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> params(String name) {
            List<String> values = new ArrayList<>();
            for (String value : query.getOrDefault(name, List.of())) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        values.add(part.trim());
                    }
                }
            }
            return values;
        }
    }

    /** A status and an envelope body. */
    record Reply(int status, ObjectNode body) {
    }

    Reply handle(Call call) {
        Reply refused = authenticate(call);
        if (refused != null) {
            return refused;
        }
        try {
            return route(call);
        } catch (BadRequest e) {
            return e.reply;
        }
    }

    private Reply authenticate(Call call) {
        String authorization = call.headers().get("authorization");
        boolean verify = call.path().endsWith("/tokens/verify");
        if (authorization == null) {
            if (call.headers().containsKey("x-auth-key") || call.headers().containsKey("x-auth-email")) {
                // the sandbox has no user with a Global API key
                return failure(403, 9103, "Unknown X-Auth-Key or X-Auth-Email");
            }
            return failure(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        }
        if (!authorization.startsWith("Bearer ") || authorization.length() < 15) {
            return failure(400, 6003, "Invalid request headers", 6111, "Invalid format for Authorization header");
        }
        String presented = authorization.substring(7).trim();
        if (presented.equals(token)) {
            return null;
        }
        Set<String> permissions = oauth.permissions(presented);
        if (permissions == null) {
            return verify ? failure(401, 1000, "Invalid API Token") : failure(403, 10000, "Authentication error");
        }
        if (permissions == SandboxOAuth.EXPIRED) {
            // an expired OAuth access token: 401, so that a client knows to refresh (the sandbox's choice; the
            // status Cloudflare gives an expired OAuth token is not documented)
            return failure(401, 10000, "Authentication error: the access token expired or was revoked");
        }
        String required = requiredPermission(call.method(), call.path());
        if (required != null && !permissions.contains(required)) {
            return failure(403, 10000, "Authentication error");
        }
        return null;
    }

    private Reply route(Call call) {
        String path = call.path();
        String method = call.method();
        Matcher m;
        // an OAuth access token is verified as itself: its grant's id and the groups of the scopes approved, as an
        // API token lists its own; never the sandbox API token's groups
        SandboxOAuth.Verified oauthToken = oauth.verified(bearer(call));
        if (method.equals("GET") && path.equals("/user/tokens/verify")) {
            return ok(oauthToken == null ? verify() : verify(oauthToken));
        }
        if (method.equals("GET") && (m = match("/accounts/([^/]+)/tokens/verify", path)) != null) {
            account(m.group(1), path);
            return failure(401, 1000, "Invalid API Token");  // a user-owned token is not an account token
        }
        if (method.equals("GET") && (m = match("/user/tokens/([^/]+)", path)) != null) {
            if (oauthToken != null) {
                return m.group(1).equals(oauthToken.id()) ? ok(tokenDetails(oauthToken))
                        : failure(404, 1003, "Token not found");
            }
            return m.group(1).equals(tokenId) ? ok(tokenDetails()) : failure(404, 1003, "Token not found");
        }
        if (method.equals("GET") && path.equals("/zones")) {
            return zones(call);
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)", path)) != null) {
            return ok(zone(m.group(1), path));
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)/settings", path)) != null) {
            zone(m.group(1), path);
            return ok(world.zoneSettings.get(m.group(1)));
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)/settings/([a-z0-9_]+)", path)) != null) {
            zone(m.group(1), path);
            for (JsonNode setting : world.zoneSettings.get(m.group(1))) {
                if (setting.path("id").asText().equals(m.group(2))) {
                    return ok(setting);
                }
            }
            return failure(404, 1003, "Invalid or missing zone setting: " + m.group(2));
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)/dns_records", path)) != null) {
            zone(m.group(1), path);
            List<JsonNode> matching = new ArrayList<>();
            for (ObjectNode record : world.dnsRecords.get(m.group(1))) {
                if (equalsOrAbsent(call.param("type"), record.path("type").asText())
                        && equalsOrAbsent(call.param("name"), record.path("name").asText())) {
                    matching.add(record);
                }
            }
            return page(call, matching, 100, 5, 5_000_000);
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)/pagerules", path)) != null) {
            zone(m.group(1), path);
            return ok(JSON.valueToTree(world.pageRules.get(m.group(1))));
        }
        if (method.equals("GET") && (m = match("/zones/([^/]+)/workers/routes", path)) != null) {
            zone(m.group(1), path);
            return ok(JSON.valueToTree(world.workerRoutes.get(m.group(1))));
        }
        if (method.equals("GET") && (m = match("/accounts/([^/]+)/workers/scripts", path)) != null) {
            account(m.group(1), path);
            return ok(JSON.valueToTree(world.workerScripts));
        }
        if (method.equals("GET") && (m = match("/accounts/([^/]+)/rules/lists", path)) != null) {
            account(m.group(1), path);
            return ok(JSON.valueToTree(world.ipLists));
        }
        if (method.equals("GET") && (m = match("/accounts/([^/]+)/rules/lists/([^/]+)/items", path)) != null) {
            account(m.group(1), path);
            List<ObjectNode> items = world.ipListItems.get(m.group(2));
            return items == null ? failure(404, 10000, "list not found") : listItems(call, items);
        }
        if (method.equals("GET") && (m = match("/accounts/([^/]+)/audit_logs", path)) != null) {
            account(m.group(1), path);
            return auditLogs(call);
        }
        if (method.equals("GET") && (m = match("/(accounts|zones)/([^/]+)/security-center/insights(/severity|/class|/type)?", path)) != null) {
            String zone = owner(m.group(1), m.group(2), path);
            return m.group(3) == null ? insights(call, zone) : insightCounts(call, zone, m.group(3).substring(1));
        }
        if (method.equals("GET") && (m = match("/(accounts|zones)/([^/]+)/access/apps", path)) != null) {
            String zone = owner(m.group(1), m.group(2), path);
            return apps(call, zone);
        }
        if ((m = match("/(accounts|zones)/([^/]+)/rulesets(.*)", path)) != null) {
            owner(m.group(1), m.group(2), path);
            return rulesets(call, m.group(1) + "/" + m.group(2), m.group(3));
        }
        return failure(400, 7000, "No route for that URI");
    }

    // --- tokens

    private ObjectNode verify() {
        return JSON.createObjectNode().put("id", tokenId).put("status", "active")
                .put("not_before", world.started.minus(1, ChronoUnit.DAYS).toString())
                .put("expires_on", world.started.plus(90, ChronoUnit.DAYS).toString());
    }

    private ObjectNode verify(SandboxOAuth.Verified oauthToken) {
        return JSON.createObjectNode().put("id", oauthToken.id()).put("status", "active")
                .put("expires_on", oauthToken.expires().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static String bearer(Call call) {
        String authorization = call.headers().get("authorization");
        return authorization == null || !authorization.startsWith("Bearer ") ? "" : authorization.substring(7).trim();
    }

    private ObjectNode tokenDetails() {
        return tokenDetails(verify().put("name", "Quiver sandbox token"), SandboxWorld.TOKEN_GROUPS);
    }

    private ObjectNode tokenDetails(SandboxOAuth.Verified oauthToken) {
        return tokenDetails(verify(oauthToken).put("name", "OAuth grant to " + SandboxOAuth.CLIENT_NAME),
                oauthToken.permissions());
    }

    private ObjectNode tokenDetails(ObjectNode verified, java.util.Collection<String> groups) {
        ObjectNode details = verified
                .put("issued_on", world.started.minus(1, ChronoUnit.DAYS).toString())
                .put("modified_on", world.started.minus(1, ChronoUnit.DAYS).toString())
                .put("last_used_on", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ArrayNode policies = details.putArray("policies");
        ObjectNode account = policies.addObject().put("id", "f267e341f3dd4697bd3b9f71dd96247f").put("effect", "allow");
        ObjectNode zone = policies.addObject().put("id", "8e6e9a3e8cc24d1c9f0b3e0e0d7a1c11").put("effect", "allow");
        for (String group : groups) {
            ObjectNode target = group.startsWith("Zone") ? zone : account;
            target.withArray("permission_groups").addObject().put("id", Integer.toHexString(group.hashCode()))
                    .put("name", group);
        }
        account.putObject("resources").put("com.cloudflare.api.account." + SandboxWorld.ACCOUNT_ID, "*");
        zone.putObject("resources").putObject("com.cloudflare.api.account." + SandboxWorld.ACCOUNT_ID)
                .put("com.cloudflare.api.account.zone.*", "*");
        // a policy granting no group (an OAuth grant of zone scopes only, say) is not listed
        for (int i = policies.size() - 1; i >= 0; i--) {
            if (!policies.get(i).has("permission_groups")) {
                policies.remove(i);
            }
        }
        return details;
    }

    // --- zones

    private Reply zones(Call call) {
        Predicate<JsonNode> filter = zone -> matches(call.param("name"), zone.path("name").asText())
                && equalsOrAbsent(call.param("status"), zone.path("status").asText())
                && equalsOrAbsent(call.param("account.id"), zone.at("/account/id").asText())
                && equalsOrAbsent(call.param("account.name"), zone.at("/account/name").asText());
        return page(call, world.zones.stream().filter(filter).map(JsonNode.class::cast).toList(), 20, 5, 50);
    }

    /** Cloudflare's name filter: exact, or with an operator such as contains:, starts_with:, ends_with:. */
    private static boolean matches(String wanted, String name) {
        if (wanted == null) {
            return true;
        }
        int colon = wanted.indexOf(':');
        String operator = colon < 0 ? "equal" : wanted.substring(0, colon);
        String value = colon < 0 ? wanted : wanted.substring(colon + 1);
        return switch (operator) {
            case "contains" -> name.contains(value);
            case "starts_with" -> name.startsWith(value);
            case "ends_with" -> name.endsWith(value);
            case "not_equal" -> !name.equals(value);
            default -> name.equals(colon < 0 ? wanted : value);
        };
    }

    private ObjectNode zone(String id, String path) {
        if (!ID.matcher(id).matches()) {
            throw new BadRequest(failure(400, 7003,
                    "Could not route to " + path + ", perhaps your object identifier is invalid?", 7000,
                    "No route for that URI"));
        }
        ObjectNode zone = world.zone(id);
        if (zone == null) {
            throw new BadRequest(failure(403, 9109, "Unauthorized to access requested resource"));
        }
        return zone;
    }

    private void account(String id, String path) {
        if (!ID.matcher(id).matches()) {
            throw new BadRequest(failure(400, 7003,
                    "Could not route to " + path + ", perhaps your object identifier is invalid?"));
        }
        if (!id.equals(SandboxWorld.ACCOUNT_ID)) {
            throw new BadRequest(failure(403, 9109, "Unauthorized to access requested resource"));
        }
    }

    /** Checks the owner in the path; the zone id for a zone path, null for the account. */
    private String owner(String kind, String id, String path) {
        if (kind.equals("zones")) {
            zone(id, path);
            return id;
        }
        account(id, path);
        return null;
    }

    // --- audit logs (v1)

    private Reply auditLogs(Call call) {
        Instant since = time(call.param("since"), "since");
        Instant before = time(call.param("before"), "before");
        String email = call.param("actor.email");
        String ip = call.param("actor.ip");
        String action = call.param("action.type");
        String zone = call.param("zone.name");
        boolean hideUser = "true".equals(call.param("hide_user_logs"));
        List<JsonNode> matching = new ArrayList<>();
        for (int i = 0; i < world.auditLogs.size(); i++) {
            ObjectNode entry = world.auditLogs.get(i);
            Instant when = world.auditLogTimes.get(i);
            if ((since == null || when.isAfter(since)) && (before == null || when.isBefore(before))
                    && equalsOrAbsent(email, entry.at("/actor/email").asText())
                    && (ip == null || inRange(entry.at("/actor/ip").asText(), ip))
                    && equalsOrAbsent(action, entry.at("/action/type").asText())
                    && equalsOrAbsent(zone, entry.at("/metadata/zone_name").asText(null))
                    && !(hideUser && "login".equals(entry.at("/action/type").asText()))) {
                matching.add(entry);
            }
        }
        if (!"asc".equals(call.param("direction"))) {
            Collections.reverse(matching);
        }
        return page(call, matching, 100, 1, 1000);
    }

    private static Instant time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(failure(400, 1001, "invalid " + name + ": expected a date or an RFC 3339 time"));
        }
    }

    /** IPv4/IPv6 address equality, or membership of a CIDR range. */
    private static boolean inRange(String address, String range) {
        int slash = range.indexOf('/');
        if (slash < 0) {
            return address.equals(range);
        }
        try {
            byte[] a = InetAddress.getByName(address).getAddress();
            byte[] net = InetAddress.getByName(range.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(range.substring(slash + 1));
            if (a.length != net.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new BadRequest(failure(400, 1001, "invalid actor.ip: expected an IP address or CIDR range"));
        }
    }

    // --- Security Center

    private List<ObjectNode> insightsMatching(Call call, String zone) {
        List<ObjectNode> matching = new ArrayList<>();
        String dismissed = call.param("dismissed");
        for (ObjectNode insight : world.insights) {
            if ((zone == null || zone.equals(insight.at("/payload/zone_tag").asText(null)))
                    && (dismissed == null || dismissed.equals(insight.path("dismissed").asText()))
                    && anyOf(call.params("issue_class"), insight.path("issue_class").asText())
                    && anyOf(call.params("issue_type"), insight.path("issue_type").asText())
                    && anyOf(call.params("product"), insight.path("product").asText())
                    && anyOf(call.params("severity"), insight.path("severity").asText().toLowerCase(Locale.ROOT))
                    && anyOf(call.params("subject"), insight.path("subject").asText())) {
                matching.add(insight);
            }
        }
        return matching;
    }

    private Reply insights(Call call, String zone) {
        List<ObjectNode> matching = insightsMatching(call, zone);
        int perPage = intParam(call, "per_page", 25, 1, 1000);
        int page = intParam(call, "page", 1, 1, Integer.MAX_VALUE);
        int from = (int) Math.min(matching.size(), (long) (page - 1) * perPage);
        int to = Math.min(matching.size(), from + perPage);
        ObjectNode result = JSON.createObjectNode().put("count", matching.size()).put("page", page)
                .put("per_page", perPage);
        ArrayNode issues = result.putArray("issues");
        matching.subList(from, to).forEach(issues::add);
        return ok(result);
    }

    private Reply insightCounts(Call call, String zone, String by) {
        String field = by.equals("class") ? "issue_class" : by.equals("type") ? "issue_type" : "severity";
        Map<String, Integer> counts = new TreeMap<>();
        if (field.equals("severity")) {
            List.of("Critical", "Moderate", "Low").forEach(value -> counts.put(value, 0));
        }
        insightsMatching(call, zone).forEach(insight -> counts.merge(insight.path(field).asText(), 1, Integer::sum));
        ArrayNode result = JSON.createArrayNode();
        counts.forEach((value, count) -> result.addObject().put("count", count).put("value", value));
        return ok(result);
    }

    // --- Access

    private Reply apps(Call call, String zone) {
        boolean exact = "true".equals(call.param("exact"));
        String search = call.param("search");
        List<ObjectNode> source = zone == null ? world.accountApps : world.zoneApps.getOrDefault(zone, List.of());
        List<JsonNode> matching = new ArrayList<>();
        for (ObjectNode app : source) {
            if (like(call.param("name"), app.path("name").asText(), exact)
                    && like(call.param("domain"), app.path("domain").asText(), exact)
                    && equalsOrAbsent(call.param("aud"), app.path("aud").asText())
                    && (search == null || app.path("name").asText().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))
                    || app.path("domain").asText().contains(search) || app.path("aud").asText().equals(search))) {
                matching.add(app);
            }
        }
        return page(call, matching, 1000, 1, 1000);
    }

    private static boolean like(String wanted, String value, boolean exact) {
        return wanted == null || (exact ? value.equals(wanted)
                : value.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT)));
    }

    // --- rulesets

    private Reply rulesets(Call call, String owner, String rest) {
        Matcher m;
        if (call.method().equals("GET") && (m = match("/phases/([a-z_0-9]+)/entrypoint", rest)) != null) {
            ObjectNode entrypoint = entrypoint(owner, m.group(1));
            return entrypoint != null ? ok(entrypoint) : failure(404, 10003,
                    "could not find entrypoint ruleset in the " + m.group(1) + " phase");
        }
        if (call.method().equals("GET") && (m = match("/([0-9a-f]{32})", rest)) != null) {
            return ok(ruleset(owner, m.group(1)));
        }
        if (call.method().equals("POST") && rest.isEmpty()) {
            return createRuleset(call, owner);
        }
        if (call.method().equals("POST") && (m = match("/([0-9a-f]{32})/rules", rest)) != null) {
            ObjectNode ruleset = ruleset(owner, m.group(1));
            ObjectNode rule = validRule(body(call), "");
            synchronized (world) {
                requireUniqueRef(ruleset, rule);
                world.addRule(ruleset, rule, position(rule, ruleset));
            }
            return ok(ruleset);
        }
        return failure(400, 7000, "No route for that URI");
    }

    private ObjectNode entrypoint(String owner, String phase) {
        String kind = owner.startsWith("zones/") ? "zone" : "root";
        for (Map.Entry<String, ObjectNode> entry : world.rulesets.entrySet()) {
            ObjectNode ruleset = entry.getValue();
            if (owner.equals(world.rulesetOwner.get(entry.getKey())) && kind.equals(ruleset.path("kind").asText())
                    && phase.equals(ruleset.path("phase").asText())) {
                return ruleset;
            }
        }
        return null;
    }

    private ObjectNode ruleset(String owner, String id) {
        ObjectNode ruleset = world.rulesets.get(id);
        if (ruleset == null || !owner.equals(world.rulesetOwner.get(id))) {
            throw new BadRequest(failure(404, 10003, "could not find ruleset " + id));
        }
        return ruleset;
    }

    private Reply createRuleset(Call call, String owner) {
        JsonNode body = body(call);
        String kind = body.path("kind").asText();
        String phase = body.path("phase").asText();
        if (body.path("name").asText().isEmpty()) {
            return failure(400, 20021, "name is required", "/name");
        }
        if (!Set.of("zone", "root", "custom").contains(kind)) {
            return failure(400, 20021, "kind must be one of zone, root, custom", "/kind");
        }
        if (phase.isEmpty()) {
            return failure(400, 20021, "phase is required", "/phase");
        }
        synchronized (world) {
            if (!kind.equals("custom") && entrypoint(owner, phase) != null) {
                return failure(400, 20217, "A similar configuration with rules already exists and overwriting"
                        + " will have unintended consequences. If you are trying to update the entrypoint ruleset,"
                        + " use the phases entrypoint API instead.");
            }
            List<ObjectNode> rules = new ArrayList<>();
            int i = 0;
            for (JsonNode requested : body.path("rules")) {
                rules.add(validRule(requested, "/rules/" + i++));
            }
            ObjectNode ruleset = world.ruleset(owner, kind, phase, body.path("name").asText());
            ruleset.put("description", body.path("description").asText(""));
            for (ObjectNode rule : rules) {
                requireUniqueRef(ruleset, rule);
                world.addRule(ruleset, rule, null);
            }
            return ok(ruleset);
        }
    }

    private static ObjectNode validRule(JsonNode requested, String pointer) {
        if (!requested.isObject()) {
            throw new BadRequest(failure(400, 20021, "the rule must be an object", pointer.isEmpty() ? "/" : pointer));
        }
        String action = requested.path("action").asText();
        if (!ACTIONS.contains(action)) {
            throw new BadRequest(failure(400, 20021, "'" + action + "' is not a valid value for action",
                    pointer + "/action"));
        }
        if (requested.path("expression").asText().isBlank()) {
            throw new BadRequest(failure(400, 20021, "expression is required", pointer + "/expression"));
        }
        return (ObjectNode) requested;
    }

    private static void requireUniqueRef(ObjectNode ruleset, ObjectNode rule) {
        String ref = rule.path("ref").asText(null);
        if (ref == null) {
            return;
        }
        for (JsonNode existing : ruleset.path("rules")) {
            if (ref.equals(existing.path("ref").asText())) {
                throw new BadRequest(failure(400, 20021, "a rule with ref '" + ref + "' already exists", "/ref"));
            }
        }
    }

    private static ObjectNode position(ObjectNode rule, ObjectNode ruleset) {
        JsonNode position = rule.get("position");
        if (position == null) {
            return null;
        }
        if (!position.isObject() || SandboxWorld.insertionIndex((ArrayNode) ruleset.get("rules"),
                (ObjectNode) position) < 0) {
            throw new BadRequest(failure(400, 20021, "position refers to a rule that is not in the ruleset",
                    "/position"));
        }
        return (ObjectNode) position;
    }

    private static JsonNode body(Call call) {
        try {
            JsonNode body = JSON.readTree(call.body());
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (Exception malformed) {
            // answered below, as Cloudflare answers a body it cannot parse
        }
        throw new BadRequest(failure(400, 20021, "the request body is not a JSON object"));
    }

    // --- shared

    private static Matcher match(String regex, String path) {
        Matcher m = Pattern.compile(regex).matcher(path);
        return m.matches() ? m : null;
    }

    private static boolean equalsOrAbsent(String wanted, String value) {
        return wanted == null || wanted.equals(value);
    }

    private static boolean anyOf(List<String> wanted, String value) {
        return wanted.isEmpty() || wanted.contains(value);
    }

    private static int intParam(Call call, String name, int fallback, int min, int max) {
        String value = call.param(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the refusal
        }
        throw new BadRequest(failure(400, 1001, "invalid " + name + ": expected an integer from " + min + " to "
                + max));
    }

    /** One page of a page/per_page listing, with {@code result_info} as Cloudflare sends it. */
    private static Reply page(Call call, List<? extends JsonNode> items, int defaultPerPage, int minPerPage,
                              int maxPerPage) {
        int perPage = intParam(call, "per_page", defaultPerPage, minPerPage, maxPerPage);
        int page = intParam(call, "page", 1, 1, Integer.MAX_VALUE);
        int from = (int) Math.min(items.size(), (long) (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);
        ArrayNode result = JSON.createArrayNode();
        items.subList(from, to).forEach(result::add);
        ObjectNode body = envelope(true, result);
        body.putObject("result_info").put("page", page).put("per_page", perPage).put("count", to - from)
                .put("total_count", items.size()).put("total_pages", (items.size() + perPage - 1) / perPage);
        return new Reply(200, body);
    }

    /** A page of list items with Cloudflare's cursor paging ({@code result_info.cursors.after}). */
    private static Reply listItems(Call call, List<ObjectNode> items) {
        int perPage = intParam(call, "per_page", 25, 1, 500);
        int from = 0;
        String cursor = call.param("cursor");
        if (cursor != null) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                return failure(400, 10021, "invalid cursor", "/cursor");
            }
        }
        from = Math.max(0, Math.min(items.size(), from));
        int to = Math.min(items.size(), from + perPage);
        ArrayNode result = JSON.createArrayNode();
        items.subList(from, to).forEach(result::add);
        ObjectNode body = envelope(true, result);
        ObjectNode cursors = body.putObject("result_info").putObject("cursors");
        if (to < items.size()) {
            cursors.put("after", String.valueOf(to));
        }
        return new Reply(200, body);
    }

    private static Reply ok(JsonNode result) {
        return new Reply(200, envelope(true, result));
    }

    private static ObjectNode envelope(boolean success, JsonNode result) {
        ObjectNode body = JSON.createObjectNode();
        body.put("success", success);
        body.putArray("errors");
        body.putArray("messages");
        body.set("result", result);
        return body;
    }

    static Reply failure(int status, int code, String message) {
        ObjectNode body = envelope(false, JSON.nullNode());
        ((ArrayNode) body.get("errors")).addObject().put("code", code).put("message", message);
        return new Reply(status, body);
    }

    private static Reply failure(int status, int code, String message, String pointer) {
        Reply reply = failure(status, code, message);
        ((ObjectNode) reply.body().get("errors").get(0)).putObject("source").put("pointer", pointer);
        return reply;
    }

    private static Reply failure(int status, int code, String message, int chainCode, String chainMessage) {
        Reply reply = failure(status, code, message);
        ((ObjectNode) reply.body().get("errors").get(0)).putArray("error_chain").addObject()
                .put("code", chainCode).put("message", chainMessage);
        return reply;
    }

    /** Ends a request early with a Cloudflare error. */
    private static final class BadRequest extends RuntimeException {
        private final Reply reply;

        BadRequest(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }
}

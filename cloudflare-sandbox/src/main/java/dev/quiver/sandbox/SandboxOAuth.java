package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's stand-in for Cloudflare's OAuth 2.0 authorization server (FACTS §6): a consent page at
 * {@code /oauth2/auth}, the authorization-code and refresh-token grants at {@code /oauth2/token}, and
 * {@code /oauth2/revoke}. One public client is registered ({@link #CLIENT_ID}, PKCE S256 required, any loopback
 * redirect URI), as Cloudflare registers public clients.
 *
 * <p>Refresh tokens are single-use and rotate on every refresh; presenting a used one again revokes the whole grant
 * (its access and refresh tokens), which is how a leaked refresh token is contained. Reusing an authorization code
 * revokes the grant it produced too (RFC 6749 §4.1.2).
 *
 * <p>Thread-safe: the grant state is guarded by this object's monitor; requests are few and short.
 */
final class SandboxOAuth {

    /** The sandbox's public OAuth client. */
    static final String CLIENT_ID = "quiver-sandbox-client";
    static final String CLIENT_NAME = "Quiver (sandbox)";
    private static final Duration CODE_TTL = Duration.ofMinutes(1);
    private static final Duration CONSENT_TTL = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The scopes the sandbox offers and the permission groups each grants. Cloudflare publishes no such table
     * (FACTS §6); the names follow the colon style of cloudflare/mcp {@code src/auth/scopes.ts}, the groups are this
     * sandbox's choice.
     */
    static final Map<String, List<String>> SCOPES = scopes();

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration accessTokenTtl;
    private final Map<String, Consent> consents = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new LinkedHashMap<>();
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final Map<String, Access> accessTokens = new LinkedHashMap<>();
    private final Map<String, Refresh> refreshTokens = new LinkedHashMap<>();

    SandboxOAuth(Clock clock, Duration accessTokenTtl) {
        this.clock = clock;
        this.accessTokenTtl = accessTokenTtl;
    }

    private static Map<String, List<String>> scopes() {
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        scopes.put("account:read", List.of("Account Settings Read"));
        scopes.put("zone:read", List.of("Zone Read", "Zone Settings Read"));
        scopes.put("dns_records:read", List.of("DNS Read"));
        scopes.put("access:read", List.of("Access: Apps and Policies Read"));
        scopes.put("workers_scripts:read", List.of("Workers Scripts Read"));
        scopes.put("workers_routes:read", List.of("Workers Routes Read"));
        scopes.put("page_rules:read", List.of("Page Rules Read", "Transform Rules Read", "Dynamic URL Redirects Read"));
        scopes.put("lists:read", List.of("Account Filter Lists Read"));
        scopes.put("firewall:read", List.of("Zone WAF Read", "Account Rulesets Read", "Account WAF Read"));
        // writing includes reading, as an API token's Edit group does
        scopes.put("firewall:write", List.of("Zone WAF Write", "Account Rulesets Write", "Account WAF Write",
                "Zone WAF Read", "Account Rulesets Read", "Account WAF Read"));
        scopes.put("transform_rules:write", List.of("Transform Rules Write", "Transform Rules Read"));
        scopes.put("offline_access", List.of());
        return Map.copyOf(scopes);
    }

    /** An answer: status, content type, body and an optional Location. */
    record Reply(int status, String contentType, byte[] body, String location) {
        static Reply json(int status, ObjectNode body) {
            try {
                return new Reply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), null);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply html(int status, String html) {
            return new Reply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), null);
        }

        static Reply redirect(String location) {
            return new Reply(302, "text/plain; charset=utf-8", new byte[0], location);
        }
    }

    private record Consent(String redirectUri, String state, String challenge, List<String> scopes, Instant expires) {
    }

    private record Code(String redirectUri, String challenge, List<String> scopes, Instant expires, String[] grant) {
    }

    /** A grant: what the user approved; revoked as a whole. */
    private static final class Grant {
        final List<String> scopes;
        /** Its public id, which token verification answers (as Cloudflare answers an API token's id); no secret. */
        final String id;
        boolean revoked;

        Grant(List<String> scopes, String id) {
            this.scopes = scopes;
            this.id = id;
        }

        Set<String> permissions() {
            Set<String> permissions = new LinkedHashSet<>();
            scopes.forEach(scope -> permissions.addAll(SCOPES.get(scope)));
            return permissions;
        }
    }

    /**
     * What token verification says of a live OAuth access token: its grant's public id, the permission groups of
     * the scopes approved (and of no other) and when it expires.
     */
    record Verified(String id, Set<String> permissions, Instant expires) {
    }

    /** The verification of a live OAuth access token of ours; {@code null} for any other token. */
    synchronized Verified verified(String token) {
        Access access = accessTokens.get(token);
        if (access == null || permissions(token) == EXPIRED) {
            return null;
        }
        Grant grant = grants.get(access.grantId());
        return new Verified(grant.id, grant.permissions(), access.expires());
    }

    private record Access(String grantId, Instant expires) {
    }

    private static final class Refresh {
        final String grantId;
        boolean used;

        Refresh(String grantId) {
            this.grantId = grantId;
        }
    }

    /** Handles {@code /oauth2/...}; {@code form} holds the query and, for POST, the form body. */
    Reply handle(String method, String path, Map<String, String> form, Map<String, String> headers) {
        return switch (method + " " + path) {
            case "GET /oauth2/auth" -> authorize(form);
            case "POST /oauth2/auth" -> decide(form);
            case "POST /oauth2/token" -> token(form, headers);
            case "POST /oauth2/revoke" -> revoke(form);
            default -> Reply.json(404, JSON.createObjectNode().put("error", "not_found"));
        };
    }

    /**
     * The permission groups an OAuth access token holds: {@code null} when it is not one of ours, {@link #EXPIRED}
     * when it expired or its grant was revoked.
     */
    synchronized Set<String> permissions(String token) {
        Access access = accessTokens.get(token);
        if (access == null) {
            return null;
        }
        Grant grant = grants.get(access.grantId());
        if (grant.revoked || !clock.instant().isBefore(access.expires())) {
            return EXPIRED;
        }
        return grant.permissions();
    }

    /** Marks a known OAuth access token that expired or whose grant was revoked. */
    static final Set<String> EXPIRED = Set.of("\u0000expired");

    /** How many refresh-token grants succeeded, for tests counting refreshes. */
    synchronized int refreshes() {
        return refreshCount;
    }

    private int refreshCount;

    // --- /oauth2/auth

    private Reply authorize(Map<String, String> query) {
        String redirectUri = query.get("redirect_uri");
        if (!CLIENT_ID.equals(query.get("client_id")) || !loopback(redirectUri)) {
            // never redirect to an unverified URI (RFC 6749 §4.1.2.1)
            return Reply.html(400, page("Invalid request", "<p>Unknown client or redirect URI.</p>"));
        }
        String state = query.get("state");
        if (!"code".equals(query.get("response_type"))) {
            return Reply.redirect(withParams(redirectUri, Map.of("error", "unsupported_response_type"), state));
        }
        String challenge = query.get("code_challenge");
        if (challenge == null || !"S256".equals(query.get("code_challenge_method"))) {
            return Reply.redirect(withParams(redirectUri, Map.of("error", "invalid_request",
                    "error_description", "PKCE S256 required"), state));
        }
        List<String> scopes = new ArrayList<>();
        for (String scope : query.getOrDefault("scope", "").split(" ")) {
            if (scope.isBlank()) {
                continue;
            }
            if (!SCOPES.containsKey(scope)) {
                return Reply.redirect(withParams(redirectUri, Map.of("error", "invalid_scope",
                        "error_description", "unknown scope " + scope), state));
            }
            scopes.add(scope);
        }
        String consentId = randomToken("");
        consents.put(consentId, new Consent(redirectUri, state, challenge, List.copyOf(scopes),
                clock.instant().plus(CONSENT_TTL)));
        StringBuilder form = new StringBuilder("<form method=\"post\" action=\"/oauth2/auth\">\n")
                .append("<input type=\"hidden\" name=\"consent\" value=\"").append(consentId).append("\">\n");
        for (String scope : scopes) {
            form.append("<label><input type=\"checkbox\" name=\"scope\" value=\"").append(escape(scope))
                    .append("\" checked> ").append(escape(scope)).append(" (")
                    .append(escape(describe(scope))).append(")</label><br>\n");
        }
        form.append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>");
        return Reply.html(200, page("Authorize " + CLIENT_NAME,
                "<p><b>" + escape(CLIENT_NAME) + "</b> asks for access to your Cloudflare sandbox account "
                        + SandboxWorld.ACCOUNT_ID + ".</p>\n" + form));
    }

    /**
     * What approving a scope gives, for the consent page: its permission groups, or for a scope that grants none
     * what it does in plain words (empty brackets would tell the user nothing).
     */
    static String describe(String scope) {
        List<String> groups = SCOPES.get(scope);
        if (!groups.isEmpty()) {
            return String.join(", ", groups);
        }
        return PLAIN.getOrDefault(scope, "grants no permission group");
    }

    private static final Map<String, String> PLAIN = Map.of(
            "offline_access", "keep access: refresh without asking again");

    private Reply decide(Map<String, String> form) {
        Consent consent = consents.remove(form.getOrDefault("consent", ""));
        if (consent == null || !clock.instant().isBefore(consent.expires())) {
            return Reply.html(400, page("Expired", "<p>This consent request is unknown or expired.</p>"));
        }
        if (!"approve".equals(form.get("decision"))) {
            return Reply.redirect(withParams(consent.redirectUri(), Map.of("error", "access_denied",
                    "error_description", "the user denied the request"), consent.state()));
        }
        // the form's repeated "scope" fields arrive joined by spaces; only requested ones can be approved
        List<String> approved = new ArrayList<>();
        for (String scope : form.getOrDefault("scope", "").split(" ")) {
            if (consent.scopes().contains(scope) && !approved.contains(scope)) {
                approved.add(scope);
            }
        }
        String code = randomToken("sbxcode_");
        synchronized (this) {
            codes.put(code, new Code(consent.redirectUri(), consent.challenge(), List.copyOf(approved),
                    clock.instant().plus(CODE_TTL), new String[1]));
        }
        return Reply.redirect(withParams(consent.redirectUri(), Map.of("code", code), consent.state()));
    }

    // --- /oauth2/token

    private synchronized Reply token(Map<String, String> form, Map<String, String> headers) {
        if (headers.containsKey("authorization") || form.containsKey("client_secret")) {
            return error(401, "invalid_client", "the sandbox client is public: no client secret");
        }
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return error(401, "invalid_client", "unknown client");
        }
        return switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> exchange(form);
            case "refresh_token" -> refresh(form);
            default -> error(400, "unsupported_grant_type", "authorization_code or refresh_token");
        };
    }

    private Reply exchange(Map<String, String> form) {
        Code code = codes.get(form.getOrDefault("code", ""));
        if (code == null) {
            return error(400, "invalid_grant", "unknown authorization code");
        }
        if (code.grant()[0] != null) {
            revokeGrant(code.grant()[0]);
            return error(400, "invalid_grant", "authorization code already used; its grant is revoked");
        }
        if (!clock.instant().isBefore(code.expires())) {
            codes.remove(form.get("code"));
            return error(400, "invalid_grant", "authorization code expired");
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            return error(400, "invalid_grant", "redirect_uri differs from the authorization request");
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !s256(verifier).equals(code.challenge())) {
            return error(400, "invalid_grant", "PKCE verification failed");
        }
        String grantId = randomToken("");
        grants.put(grantId, new Grant(code.scopes(), HexFormat.of().formatHex(randomBytes(16))));
        code.grant()[0] = grantId;
        return issue(grantId);
    }

    private Reply refresh(Map<String, String> form) {
        Refresh refresh = refreshTokens.get(form.getOrDefault("refresh_token", ""));
        if (refresh == null) {
            return error(400, "invalid_grant", "unknown refresh token");
        }
        Grant grant = grants.get(refresh.grantId);
        if (refresh.used) {
            revokeGrant(refresh.grantId);
            return error(400, "invalid_grant", "refresh token already used; the grant is revoked");
        }
        if (grant.revoked) {
            return error(400, "invalid_grant", "the grant is revoked");
        }
        refresh.used = true;
        refreshCount++;
        return issue(refresh.grantId);
    }

    private Reply issue(String grantId) {
        Grant grant = grants.get(grantId);
        String access = randomToken("cfoat_sbx");
        accessTokens.put(access, new Access(grantId, clock.instant().plus(accessTokenTtl)));
        ObjectNode answer = JSON.createObjectNode().put("access_token", access).put("token_type", "bearer")
                .put("expires_in", accessTokenTtl.toSeconds()).put("scope", String.join(" ", grant.scopes));
        if (grant.scopes.contains("offline_access")) {
            String refresh = randomToken("sbxrt_");
            refreshTokens.put(refresh, new Refresh(grantId));
            answer.put("refresh_token", refresh);
        }
        return Reply.json(200, answer);
    }

    // --- /oauth2/revoke (RFC 7009: 200 whatever the token)

    private synchronized Reply revoke(Map<String, String> form) {
        String token = form.getOrDefault("token", "");
        Access access = accessTokens.get(token);
        Refresh refresh = refreshTokens.get(token);
        if (access != null) {
            revokeGrant(access.grantId());
        } else if (refresh != null) {
            revokeGrant(refresh.grantId);
        }
        return Reply.json(200, JSON.createObjectNode());
    }

    private void revokeGrant(String grantId) {
        Grant grant = grants.get(grantId);
        if (grant != null) {
            grant.revoked = true;
        }
    }

    // --- helpers

    private static Reply error(int status, String error, String description) {
        return Reply.json(status, JSON.createObjectNode().put("error", error).put("error_description", description));
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String randomToken(String prefix) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    private static boolean loopback(String uri) {
        return uri != null && (uri.startsWith("http://127.0.0.1:") || uri.startsWith("http://localhost:"));
    }

    private static String withParams(String uri, Map<String, String> params, String state) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (state != null) {
            all.put("state", state);
        }
        StringBuilder url = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        all.forEach((name, value) -> url.append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        return url.substring(0, url.length() - 1);
    }

    private static String page(String title, String body) {
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>"
                + "<body>\n<h1>" + escape(title) + "</h1>\n" + body + "\n</body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Parses {@code a=1&b=2}; a repeated name's values are joined by a space (how the consent form sends scopes). */
    static Map<String, String> form(String raw) {
        Map<String, String> form = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return form;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.merge(name, value, (a, b) -> a + " " + b);
        }
        return form;
    }
}

package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox's OAuth authorization server, driven as a browser and a client would, over HTTP. */
class SandboxOAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();  // never follows redirects
    private static final String REDIRECT = "http://127.0.0.1:1/callback";
    private static final String VERIFIER = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop";
    private static CloudflareSandbox sandbox;
    private static CloudflareSandbox shortLived;

    @BeforeAll
    static void start() throws Exception {
        sandbox = CloudflareSandbox.start(0);
        shortLived = CloudflareSandbox.start(0, RateLimit.GENEROUS, Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        shortLived.close();
    }

    @Test
    void approvingAllScopesGivesATokenThatReadsWhatTheyCover() throws Exception {
        JsonNode tokens = exchange(sandbox, authorize(sandbox, "zone:read dns_records:read offline_access",
                null, VERIFIER), VERIFIER);
        assertEquals("zone:read dns_records:read offline_access", tokens.path("scope").asText());
        assertTrue(tokens.path("access_token").asText().startsWith("cfoat_"));
        assertFalse(tokens.path("refresh_token").asText().isEmpty());
        String access = tokens.path("access_token").asText();
        assertEquals(200, api(sandbox, "/zones/" + zone(sandbox) + "/dns_records", access));
        assertEquals(200, api(sandbox, "/zones", access));
        // a permission no granted scope covers
        assertEquals(403, api(sandbox, "/accounts/" + SandboxWorld.ACCOUNT_ID + "/audit_logs", access));
    }

    @Test
    void anUntickedScopeIsNotGrantedAndItsRoutesAreRefused() throws Exception {
        String location = authorize(sandbox, "zone:read dns_records:read", List.of("zone:read"), VERIFIER);
        JsonNode tokens = exchange(sandbox, location, VERIFIER);
        assertEquals("zone:read", tokens.path("scope").asText());
        assertTrue(tokens.path("refresh_token").isMissingNode(), "no offline_access, no refresh token");
        String access = tokens.path("access_token").asText();
        assertEquals(200, api(sandbox, "/zones", access));
        assertEquals(403, api(sandbox, "/zones/" + zone(sandbox) + "/dns_records", access));
    }

    @Test
    void anAccessTokenVerifiesAsItselfListingOnlyTheGroupsOfTheScopesApproved() throws Exception {
        String access = exchange(sandbox, authorize(sandbox, "zone:read dns_records:read firewall:write",
                List.of("zone:read", "dns_records:read"), VERIFIER), VERIFIER).path("access_token").asText();
        JsonNode verified = apiJson(sandbox, "/user/tokens/verify", access);
        String id = verified.at("/result/id").asText();
        assertEquals("active", verified.at("/result/status").asText(), verified.toString());
        JsonNode details = apiJson(sandbox, "/user/tokens/" + id, access);
        java.util.Set<String> groups = new java.util.TreeSet<>();
        details.at("/result/policies").forEach(policy -> policy.path("permission_groups")
                .forEach(group -> groups.add(group.path("name").asText())));
        assertEquals(new java.util.TreeSet<>(List.of("Zone Read", "Zone Settings Read", "DNS Read")), groups,
                details.toString());
        // the sandbox API token's own details (every group it holds) are not this token's to read
        assertNotEquals(id, sandboxTokenId());
        assertEquals(404, api(sandbox, "/user/tokens/" + sandboxTokenId(), access));
    }

    @Test
    void theConsentPageDescribesAScopeThatGrantsNoPermissionGroupInPlainWords() throws Exception {
        HttpResponse<String> page = get(authorizeUrl(sandbox, "zone:read offline_access", "s-plain", VERIFIER));
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("()"), page.body());
        assertTrue(page.body().contains("offline_access (keep access: refresh without asking again)"), page.body());
        assertTrue(page.body().contains("zone:read (Zone Read, Zone Settings Read)"), page.body());
    }

    @Test
    void theConsentPageListsEachScopeWithACheckboxAndApproveAndDeny() throws Exception {
        HttpResponse<String> page = get(authorizeUrl(sandbox, "zone:read dns_records:read", "s1", VERIFIER));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Quiver (sandbox)"));
        assertTrue(page.body().contains("type=\"checkbox\" name=\"scope\" value=\"zone:read\""));
        assertTrue(page.body().contains("type=\"checkbox\" name=\"scope\" value=\"dns_records:read\""));
        assertTrue(page.body().contains("value=\"approve\"") && page.body().contains("value=\"deny\""));
    }

    @Test
    void denyingRedirectsWithAccessDeniedAndTheState() throws Exception {
        HttpResponse<String> page = get(authorizeUrl(sandbox, "zone:read", "st-deny", VERIFIER));
        HttpResponse<String> decision = post(sandbox, "/oauth2/auth",
                Map.of("consent", consentId(page.body()), "decision", "deny"));
        assertEquals(302, decision.statusCode());
        Map<String, String> params = params(decision.headers().firstValue("location").orElseThrow());
        assertEquals("access_denied", params.get("error"));
        assertEquals("st-deny", params.get("state"));
        assertFalse(params.containsKey("code"));
    }

    @Test
    void aWrongVerifierFailsPkce() throws Exception {
        String location = authorize(sandbox, "zone:read", null, VERIFIER);
        HttpResponse<String> answer = token(sandbox, Map.of("grant_type", "authorization_code",
                "code", params(location).get("code"), "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER + "x", "client_id", sandbox.oauthClientId()));
        assertEquals(400, answer.statusCode());
        assertEquals("invalid_grant", JSON.readTree(answer.body()).path("error").asText());
    }

    @Test
    void anAuthorizationWithoutS256IsRefused() throws Exception {
        HttpResponse<String> answer = get(sandbox.oauthBaseUrl() + "/oauth2/auth?response_type=code&client_id="
                + sandbox.oauthClientId() + "&redirect_uri=" + enc(REDIRECT) + "&scope=zone:read&state=s"
                + "&code_challenge=abc&code_challenge_method=plain");
        assertEquals(302, answer.statusCode());
        assertEquals("invalid_request", params(answer.headers().firstValue("location").orElseThrow()).get("error"));
    }

    @Test
    void reusingACodeFailsAndRevokesTheGrantItProduced() throws Exception {
        String location = authorize(sandbox, "zone:read", null, VERIFIER);
        String access = exchange(sandbox, location, VERIFIER).path("access_token").asText();
        assertEquals(200, api(sandbox, "/zones", access));
        HttpResponse<String> again = token(sandbox, Map.of("grant_type", "authorization_code",
                "code", params(location).get("code"), "redirect_uri", REDIRECT, "code_verifier", VERIFIER,
                "client_id", sandbox.oauthClientId()));
        assertEquals("invalid_grant", JSON.readTree(again.body()).path("error").asText());
        assertEquals(401, api(sandbox, "/zones", access));
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenRevokesTheWholeGrant() throws Exception {
        JsonNode first = exchange(sandbox, authorize(sandbox, "zone:read offline_access", null, VERIFIER), VERIFIER);
        String refresh = first.path("refresh_token").asText();
        int before = sandbox.oauthRefreshCount();
        JsonNode second = JSON.readTree(refresh(sandbox, refresh).body());
        assertEquals(before + 1, sandbox.oauthRefreshCount());
        String rotated = second.path("refresh_token").asText();
        assertNotEquals(refresh, rotated);
        assertEquals(200, api(sandbox, "/zones", second.path("access_token").asText()));

        HttpResponse<String> reused = refresh(sandbox, refresh);
        assertEquals(400, reused.statusCode());
        assertEquals("invalid_grant", JSON.readTree(reused.body()).path("error").asText());
        assertEquals(401, api(sandbox, "/zones", second.path("access_token").asText()));
        assertEquals("invalid_grant", JSON.readTree(refresh(sandbox, rotated).body()).path("error").asText());
    }

    @Test
    void revokingATokenEndsItsGrant() throws Exception {
        JsonNode tokens = exchange(sandbox, authorize(sandbox, "zone:read offline_access", null, VERIFIER), VERIFIER);
        assertEquals(200, post(sandbox, "/oauth2/revoke", Map.of("token", tokens.path("refresh_token").asText()))
                .statusCode());
        assertEquals(401, api(sandbox, "/zones", tokens.path("access_token").asText()));
    }

    @Test
    void anExpiredAccessTokenGets401AndARefreshGivesAWorkingOne() throws Exception {
        JsonNode tokens = exchange(shortLived, authorize(shortLived, "zone:read offline_access", null, VERIFIER),
                VERIFIER);
        Thread.sleep(400);
        assertEquals(401, api(shortLived, "/zones", tokens.path("access_token").asText()));
        JsonNode fresh = JSON.readTree(refresh(shortLived, tokens.path("refresh_token").asText()).body());
        assertEquals(200, api(shortLived, "/zones", fresh.path("access_token").asText()));
    }

    @Test
    void aClientSecretIsRefusedForThePublicClient() throws Exception {
        HttpResponse<String> answer = token(sandbox, Map.of("grant_type", "refresh_token", "refresh_token", "x",
                "client_id", sandbox.oauthClientId(), "client_secret", "guess"));
        assertEquals(401, answer.statusCode());
        assertEquals("invalid_client", JSON.readTree(answer.body()).path("error").asText());
    }

    // --- the browser and the client

    private static String authorizeUrl(CloudflareSandbox server, String scope, String state, String verifier) {
        return server.oauthBaseUrl() + "/oauth2/auth?response_type=code&client_id=" + server.oauthClientId()
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc(scope) + "&state=" + enc(state)
                + "&code_challenge=" + SandboxOAuth.s256(verifier) + "&code_challenge_method=S256";
    }

    /** Opens the consent page and approves {@code approve} (null: every requested scope); the redirect's URL. */
    private static String authorize(CloudflareSandbox server, String scope, List<String> approve, String verifier)
            throws Exception {
        HttpResponse<String> page = get(authorizeUrl(server, scope, "st", verifier));
        assertEquals(200, page.statusCode());
        StringJoiner body = new StringJoiner("&");
        body.add("consent=" + consentId(page.body())).add("decision=approve");
        for (String each : approve == null ? List.of(scope.split(" ")) : approve) {
            body.add("scope=" + enc(each));
        }
        HttpResponse<String> decision = HTTP.send(HttpRequest.newBuilder(
                        URI.create(server.oauthBaseUrl() + "/oauth2/auth"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, decision.statusCode());
        String location = decision.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT + "?"));
        assertEquals("st", params(location).get("state"));
        return location;
    }

    private static JsonNode exchange(CloudflareSandbox server, String location, String verifier) throws Exception {
        HttpResponse<String> answer = token(server, Map.of("grant_type", "authorization_code",
                "code", params(location).get("code"), "redirect_uri", REDIRECT, "code_verifier", verifier,
                "client_id", server.oauthClientId()));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> refresh(CloudflareSandbox server, String refreshToken) throws Exception {
        return token(server, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", server.oauthClientId()));
    }

    private static HttpResponse<String> token(CloudflareSandbox server, Map<String, String> form) throws Exception {
        return post(server, "/oauth2/token", form);
    }

    private static HttpResponse<String> post(CloudflareSandbox server, String path, Map<String, String> form)
            throws Exception {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(enc(name) + "=" + enc(value)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.oauthBaseUrl() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int api(CloudflareSandbox server, String path, String accessToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Authorization", "Bearer " + accessToken).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode apiJson(CloudflareSandbox server, String path, String accessToken) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** The id of the sandbox's API token, as verifying it answers. */
    private static String sandboxTokenId() throws Exception {
        return apiJson(sandbox, "/user/tokens/verify", sandbox.connection().at("/auth/token").asText())
                .at("/result/id").asText();
    }

    private static String zone(CloudflareSandbox server) {
        return server.connection().path("zone_id").asText();
    }

    private static String consentId(String page) {
        Matcher m = Pattern.compile("name=\"consent\" value=\"([0-9a-f]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static Map<String, String> params(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

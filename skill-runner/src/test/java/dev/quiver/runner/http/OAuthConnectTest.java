package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import dev.quiver.sandbox.CloudflareSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Click to connect" through the real service against the sandbox's authorization server, the browser played by an
 * HTTP client that reads the consent page and submits its form.
 */
class OAuthConnectTest {

    private static final HttpClient BROWSER = HttpClient.newHttpClient();  // follows no redirect: we look at each
    private static final String DNS = "cloudflare_list_dns_records";
    private static final String ZONE = "cloudflare_get_zone_details";

    @TempDir
    Path dir;
    private Service service;
    /** Every token and code the sandbox handed out during a test: none may appear in an answer or a record. */
    private final List<String> secrets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        service = Service.startWithOAuth(dir);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void approvingEveryScopeStoresAConnectionWhoseSkillsRun() throws Exception {
        JsonNode started = connect("cf", List.of(DNS, ZONE));
        assertEquals(List.of("offline_access", "dns_records:read", "zone:read"), texts(started.path("scopes")));
        String callback = approve(started.path("authorize_url").asText(), null);
        Reply page = browse(callback);
        assertEquals(200, page.status(), page.body());
        assertEquals("default-src 'none'; frame-ancestors 'none'",
                page.headers().firstValue("Content-Security-Policy").orElse(""), "the callback page runs nothing");
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""),
                "the callback URL (it holds the code) is never sent on as a referrer");
        assertTrue(page.body().contains("Connection <b>cf</b> (cloudflare) is connected"), page.body());
        assertTrue(page.body().contains("<li>" + DNS + "</li>") && page.body().contains("<li>" + ZONE + "</li>"));

        JsonNode stored = service.get("/api/v1/connections/cf", Role.ADMIN).json();
        assertEquals("oauth", stored.at("/auth/method").asText());
        assertEquals(List.of("Zone Read", "Zone Settings Read", "DNS Read"), texts(stored.path("permissions")));
        Reply ran = execute(DNS);
        assertEquals(200, ran.status(), ran.body());
        assertNoSecretAnywhere(page.body(), ran.body(), stored.toString(),
                service.get("/api/v1/connections", Role.ADMIN).body());
    }

    @Test
    void aDeclinedScopesSkillIsRefusedBeforeAnyRequestIsSent() throws Exception {
        JsonNode started = connect("cf", List.of(DNS, ZONE));
        Reply page = browse(approve(started.path("authorize_url").asText(), List.of("offline_access", "zone:read")));
        assertEquals(200, page.status());
        assertTrue(page.body().contains(DNS + ": reconnect and approve dns_records:read"), page.body());
        long before = service.sandbox().requestCount();
        Reply refused = execute(DNS);
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/remediation").asText()
                .contains("Reconnect connection 'cf' (POST /api/v1/connections/cf/connect) and approve"
                        + " dns_records:read."), refused.body());
        assertEquals(before, service.sandbox().requestCount(), "no request reached the vendor");
        assertEquals(200, execute(ZONE).status());
    }

    @Test
    void denyingConsentStoresNothingAndSaysSo() throws Exception {
        JsonNode started = connect("cf", List.of(DNS));
        Reply page = browse(deny(started.path("authorize_url").asText()));
        assertEquals(400, page.status());
        assertTrue(page.body().contains("Consent was denied"), page.body());
        assertEquals(404, service.get("/api/v1/connections/cf", Role.ADMIN).status());
    }

    @Test
    void aStateIsSingleUseAndAnUnknownOneChangesNothing() throws Exception {
        JsonNode started = connect("cf", List.of(DNS));
        String callback = approve(started.path("authorize_url").asText(), null);
        assertEquals(200, browse(callback).status());
        Reply again = browse(callback);
        assertEquals(400, again.status());
        assertTrue(again.body().contains("unknown, expired or already used"), again.body());
        Reply forged = browse(service.runtimeCallback() + "?code=x&state=forged");
        assertEquals(400, forged.status());
        assertEquals(1, service.get("/api/v1/connections", Role.ADMIN).json().path("connections").size() - 1,
                "only cf was added beside the sandbox connection");
    }

    @Test
    void aReusedCodeIsRefusedByTheServerAndChangesNothing() throws Exception {
        // the code of a first connect, replayed with a second connect's fresh state
        String first = approve(connect("cf", List.of(DNS)).path("authorize_url").asText(), null);
        assertEquals(200, browse(first).status());
        JsonNode second = connect("other", List.of(DNS));
        Reply replay = browse(service.runtimeCallback() + "?code=" + enc(params(first).get("code")) + "&state="
                + enc(second.path("state").asText()));
        assertEquals(400, replay.status());
        assertTrue(replay.body().contains("refused the code (invalid_grant)"), replay.body());
        assertEquals(404, service.get("/api/v1/connections/other", Role.ADMIN).status());
    }

    @Test
    void theCallbackOfAConnectWhoseAdminKeyWasRevokedChangesNothing() throws Exception {
        var admin = service.runtime().keys().create(Role.ADMIN);
        Reply started = service.send("POST", "/api/v1/connections/cf/connect", admin.key(), "application/json",
                "{\"type\": \"cloudflare\", \"skills\": [\"" + DNS + "\"], \"account_id\": \""
                        + service.sandbox().connection().path("account_id").asText() + "\"}");
        assertEquals(200, started.status(), started.body());
        String callback = approve(started.json().path("authorize_url").asText(), null);
        assertTrue(service.runtime().keys().revoke(admin.apiKey().id()));
        Reply page = browse(callback);
        assertEquals(403, page.status());
        assertTrue(page.body().contains("no longer an active admin key"), page.body());
        assertEquals(404, service.get("/api/v1/connections/cf", Role.ADMIN).status());
    }

    @Test
    void aConnectMissingARequiredSettingIsRefusedNamingItBeforeAnyUrlIsAnswered() {
        Reply refused = service.post("/api/v1/connections/cf/connect", Role.ADMIN,
                "{\"type\": \"cloudflare\", \"skills\": [\"" + DNS + "\"], \"zone_id\": \""
                        + service.sandbox().connection().path("zone_id").asText() + "\", \"base_url\": \""
                        + service.sandbox().baseUrl() + "\"}");
        assertEquals(400, refused.status(), refused.body());
        JsonNode error = refused.json().path("error");
        assertEquals("INVALID_CONNECTION", error.path("code").asText(), refused.body());
        assertTrue(error.path("message").asText().contains("'account_id' is required"), refused.body());
        assertTrue(error.path("remediation").asText().contains("--setting NAME=VALUE"), refused.body());
        assertFalse(refused.body().contains("authorize_url") || refused.body().contains("/oauth2/auth"),
                refused.body());
        assertEquals(404, service.get("/api/v1/connections/cf", Role.ADMIN).status());
    }

    @Test
    void connectNeedsAnAdminKeyAndTheCallbackNone() {
        assertEquals(403, service.post("/api/v1/connections/cf/connect", Role.ANALYST,
                "{\"type\": \"cloudflare\"}").status());
        assertEquals(401, service.post("/api/v1/connections/cf/connect", null, "{\"type\": \"cloudflare\"}")
                .status());
        assertEquals(400, browse(service.runtimeCallback() + "?code=x&state=y").status());
    }

    @Test
    void removingAConnectionRevokesItsGrantSoTheOldRefreshTokenIsRejected() throws Exception {
        browse(approve(connect("cf", List.of(ZONE)).path("authorize_url").asText(), null));
        var values = service.runtime().connections().find("cf").orElseThrow().credential().values();
        Reply removed = service.delete("/api/v1/connections/cf", Role.ADMIN);
        assertEquals(200, removed.status(), removed.body());
        assertEquals("cf", removed.json().path("removed").asText());
        assertFalse(removed.json().has("warning"), removed.body());
        assertEquals(404, service.get("/api/v1/connections/cf", Role.ADMIN).status());
        HttpResponse<String> refresh = refreshAtSandbox(values.get("refresh_token"));
        assertEquals(400, refresh.statusCode());
        assertTrue(refresh.body().contains("invalid_grant"), refresh.body());
        HttpResponse<String> api = BROWSER.send(HttpRequest.newBuilder(URI.create(service.sandbox().baseUrl()
                + "/zones")).header("Authorization", "Bearer " + values.get("access_token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, api.statusCode(), "the access token is revoked too: " + api.body());
        assertNoSecretAnywhere(removed.body());
    }

    @Test
    void aRevokeThatFailsIsReportedAndTheLocalSecretIsDeletedRegardless() throws Exception {
        browse(approve(connect("cf", List.of(ZONE)).path("authorize_url").asText(), null));
        service.sandbox().close();  // the authorization server is unreachable
        Reply removed = service.delete("/api/v1/connections/cf", Role.ADMIN);
        assertEquals(200, removed.status(), removed.body());
        assertTrue(removed.json().path("warning").asText().contains("the grant was not revoked"), removed.body());
        assertTrue(removed.json().path("warning").asText().contains("could not be reached"), removed.body());
        assertEquals(404, service.get("/api/v1/connections/cf", Role.ADMIN).status());
        assertFalse(Files.exists(service.home().resolve("connections/cf.json")), "the sealed secret is gone");
        assertNoSecretAnywhere(removed.body());
    }

    @Test
    void theRedirectUriIsTheServicesOwnAddressWhateverTheHostHeaderSays() throws Exception {
        String body = "{\"type\": \"cloudflare\", \"skills\": [\"" + DNS + "\"], \"account_id\": \""
                + service.sandbox().connection().path("account_id").asText() + "\"}";
        dev.quiver.runner.testing.RawHttp.Answer answer = dev.quiver.runner.testing.RawHttp.exchange(service.port(),
                "POST /api/v1/connections/cf/connect HTTP/1.1\r\nHost: attacker.example:8443\r\nAuthorization: Bearer "
                        + service.key(Role.ADMIN) + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length,
                out -> out.write(body.getBytes(StandardCharsets.UTF_8)), java.time.Duration.ofSeconds(30));
        assertEquals(200, answer.status(), answer.body());
        String authorize = answer.json().path("authorize_url").asText();
        assertEquals(service.runtimeCallback(), params(authorize).get("redirect_uri"), authorize);
        assertFalse(authorize.contains("attacker.example"), authorize);
        // and the code goes there: the consent page redirects to the service, which stores the connection
        String callback = approve(authorize, null);
        assertTrue(callback.startsWith(service.runtimeCallback() + "?"), callback);
        assertEquals(200, browse(callback).status());
    }

    /**
     * The canary search over a connect, executions, a refresh, a 401 renewal, a reconnect and a remove: no code or
     * token the sandbox issued appears in an answer, a log line of any level (the callback's URL carries the code),
     * the records database or any file of the home.
     */
    @Test
    void noCodeOrTokenAppearsInAnswersLogsRecordsOrFilesAcrossTheWholeLifecycle() throws Exception {
        List<Reply> replies = new ArrayList<>();
        java.util.Set<String> tokens = new java.util.LinkedHashSet<>();
        try (dev.quiver.runner.testing.SecretLeaks leaks = dev.quiver.runner.testing.SecretLeaks.capturingLogs()) {
            replies.add(browse(approve(connect("cf", List.of(DNS, ZONE)).path("authorize_url").asText(), null)));
            tokens.addAll(storedTokens());
            replies.add(execute(DNS));
            // expired by our clock: refreshed before the next execution
            var store = service.runtime().connections();
            var values = new java.util.LinkedHashMap<>(store.find("cf").orElseThrow().credential().values());
            values.put("expires_at", java.time.Instant.now().minusSeconds(1).toString());
            store.replaceSecrets("cf", values);
            replies.add(execute(ZONE));
            tokens.addAll(storedTokens());
            // refused by the vendor before our expiry: renewed after the 401 (a leaked-looking, revoked access
            // token stands in for one the vendor ended early)
            values = new java.util.LinkedHashMap<>(store.find("cf").orElseThrow().credential().values());
            values.put("access_token", "cfoat_sbx_not_a_token_the_sandbox_knows_of");
            store.replaceSecrets("cf", values);
            replies.add(execute(ZONE));
            tokens.addAll(storedTokens());
            replies.add(browse(approve(connect("cf", List.of(ZONE)).path("authorize_url").asText(), null)));
            tokens.addAll(storedTokens());
            replies.add(execute(ZONE));
            replies.add(service.get("/api/v1/connections", Role.ADMIN));
            replies.add(service.get("/api/v1/executions", Role.ADMIN));
            replies.add(service.delete("/api/v1/connections/cf", Role.ADMIN));
            for (Reply reply : replies.subList(0, replies.size() - 3)) {
                assertTrue(reply.status() == 200 || reply.status() == 403, reply.body());
            }
            assertTrue(leaks.logEvents() > 0, "logs were captured");
            List<String> all = new ArrayList<>(secrets);
            all.addAll(tokens);
            leaks.assertAbsent(all, replies, service.home());
        }
        assertTrue(tokens.size() >= 6, "refreshed and reconnected tokens were looked for: " + tokens.size());
    }

    private List<String> storedTokens() throws Exception {
        var values = service.runtime().connections().find("cf").orElseThrow().credential().values();
        return List.of(values.get("access_token"), values.get("refresh_token"));
    }

    private HttpResponse<String> refreshAtSandbox(String refreshToken) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(service.sandbox().oauthBaseUrl() + "/oauth2/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + service.sandbox().oauthClientId() + "&refresh_token=" + enc(refreshToken))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- the admin, the browser

    private JsonNode connect(String id, List<String> skills) {
        CloudflareSandbox sandbox = service.sandbox();
        StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
        skills.forEach(names::add);
        Reply reply = service.post("/api/v1/connections/" + id + "/connect", Role.ADMIN,
                "{\"type\": \"cloudflare\", \"skills\": " + names + ", \"account_id\": \""
                        + sandbox.connection().path("account_id").asText() + "\", \"zone_id\": \""
                        + sandbox.connection().path("zone_id").asText() + "\", \"base_url\": \"" + sandbox.baseUrl()
                        + "\"}");
        assertEquals(200, reply.status(), reply.body());
        JsonNode body = reply.json();
        assertTrue(body.path("authorize_url").asText().contains("code_challenge_method=S256"));
        assertFalse(body.path("authorize_url").asText().contains("code_verifier"));
        return body;
    }

    /** Opens the consent page and approves {@code scopes} (null: all it offers); the callback URL it redirects to. */
    private String approve(String authorizeUrl, List<String> scopes) throws Exception {
        String page = BROWSER.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        StringJoiner form = new StringJoiner("&");
        form.add("consent=" + match("name=\"consent\" value=\"([^\"]+)\"", page).get(0)).add("decision=approve");
        for (String scope : scopes == null ? match("name=\"scope\" value=\"([^\"]+)\"", page) : scopes) {
            form.add("scope=" + enc(scope));
        }
        return submit(authorizeUrl, form.toString());
    }

    private String deny(String authorizeUrl) throws Exception {
        String page = BROWSER.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return submit(authorizeUrl, "consent=" + match("name=\"consent\" value=\"([^\"]+)\"", page).get(0)
                + "&decision=deny");
    }

    private String submit(String authorizeUrl, String form) throws Exception {
        URI action = URI.create(authorizeUrl).resolve("/oauth2/auth");
        HttpResponse<String> decision = BROWSER.send(HttpRequest.newBuilder(action)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, decision.statusCode());
        String location = decision.headers().firstValue("location").orElseThrow();
        Map<String, String> params = params(location);
        if (params.containsKey("code")) {
            secrets.add(params.get("code"));
        }
        return location;
    }

    private Reply browse(String url) {
        return service.send("GET", url.substring(url.indexOf("/api/v1/")), null, null, null);
    }

    private Reply execute(String skill) {
        return service.post("/api/v1/skills/" + skill + "/executions", Role.ANALYST,
                "{\"connection\": \"" + (skill.isEmpty() ? "" : "cf") + "\", \"input\": {}}");
    }

    private void assertNoSecretAnywhere(String... answers) throws IOException {
        List<String> texts = new ArrayList<>(List.of(answers));
        try (Stream<Path> files = Files.walk(service.home())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                texts.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertFalse(secrets.isEmpty());
        for (String secret : secrets) {
            for (String text : texts) {
                assertFalse(text.contains(secret), "a code appears in an answer or a stored file");
            }
        }
        for (String text : texts) {
            assertFalse(text.contains("cfoat_sbx") || text.contains("sbxrt_"), "a token appears: " + text);
        }
    }

    private static List<String> match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertFalse(found.isEmpty(), text);
        return found;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
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

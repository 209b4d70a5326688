package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import dev.quiver.sandbox.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connections connect} as a person at a terminal runs it, against the real sandbox's authorization server:
 * the consent page is followed by an HTTP client (the browser), which lands on the command's loopback listener.
 */
@Timeout(180)
class OAuthConnectCliTest {

    private static final String ZONE = "cloudflare_get_zone_details";
    private static final String DNS = "cloudflare_list_dns_records";
    private static final HttpClient BROWSER = HttpClient.newHttpClient();  // follows no redirect

    @TempDir
    Path dir;
    private CloudflareSandbox sandbox;
    private Path plugins;
    private Map<String, String> environment;
    /** Every code and token the sandbox handed out that a test saw; none may appear in output or files. */
    private final List<String> secrets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        sandbox = CloudflareSandbox.start(0, RateLimit.GENEROUS, CloudflareSandbox.DEFAULT_ACCESS_TOKEN_TTL);
        environment = Map.of("QUIVER_OAUTH_CLIENT_ID", sandbox.oauthClientId(),
                "QUIVER_OAUTH_BASE_URL", sandbox.oauthBaseUrl());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void connectPrintsTheUrlListensOnLoopbackStoresTheConnectionAndPrintsTheCapabilityMatrix() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE + "," + DNS);
        assertTrue(connecting.url().contains("code_challenge_method=S256"), connecting.url());
        String redirect = param(connecting.url(), "redirect_uri");
        assertTrue(redirect.matches("http://127\\.0\\.0\\.1:\\d+/callback"), redirect);

        String callback = approve(connecting.url(), List.of("offline_access", "zone:read"));
        assertTrue(callback.startsWith(redirect + "?"), callback);
        HttpResponse<String> landed = BROWSER.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, landed.statusCode(), landed.body());
        assertTrue(landed.body().contains("Connection <b>cf</b> (cloudflare) is connected"), landed.body());
        assertTrue(landed.body().contains(DNS + ": reconnect and approve dns_records:read"), landed.body());

        assertEquals(0, connecting.exit(), connecting.stdout() + connecting.stderr());
        JsonNode report = Json.MAPPER.readTree(connecting.stdout());
        assertEquals("cf", report.path("connection").asText());
        assertTrue(report.path("verified").asBoolean(), report.toString());
        assertTrue(connecting.stderr().contains("quiver: connected 'cf'"), connecting.stderr());
        assertEquals("ready", skill(report, ZONE).path("status").asText(), report.toString());
        assertFalse("ready".equals(skill(report, DNS).path("status").asText()), report.toString());
        assertTrue(skill(report, DNS).toString().contains("DNS Read"), report.toString());

        // the stored connection runs the approved skill; the other is refused naming the scope
        Cli zone = cli("run", ZONE, "--connection", "cf");
        assertEquals(0, zone.exit(), zone.stdout() + zone.stderr());
        Cli dns = cli("run", DNS, "--connection", "cf");
        assertEquals(3, dns.exit(), dns.stdout());
        assertTrue(dns.stdout().contains("approve dns_records:read"), dns.stdout());

        // connections remove revokes the grant: the refresh token stops working at the sandbox
        String refreshToken = storedRefreshToken();
        Cli removed = cli("connections", "remove", "cf");
        assertEquals(0, removed.exit(), removed.stdout() + removed.stderr());
        assertFalse(Json.MAPPER.readTree(removed.stdout()).has("warning"), removed.stdout());
        HttpResponse<String> reuse = refresh(refreshToken);
        assertEquals(400, reuse.statusCode());
        assertTrue(reuse.body().contains("invalid_grant"), reuse.body());

        assertNoSecret(connecting.stdout(), connecting.stderr(), zone.stdout(), zone.stderr(), dns.stdout(),
                removed.stdout(), removed.stderr(), landed.body());
    }

    @Test
    void aRemoveWhoseRevokeFailsWarnsOnStderrAndRemovesTheConnection() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        browse(approve(connecting.url(), null));
        assertEquals(0, connecting.exit(), connecting.stderr());
        sandbox.close();  // the authorization server is gone
        Cli removed = cli("connections", "remove", "cf");
        assertEquals(0, removed.exit(), removed.stdout() + removed.stderr());
        assertTrue(removed.stderr().contains("quiver: warning: connection 'cf' removed, but the grant was not"
                + " revoked"), removed.stderr());
        assertTrue(Json.MAPPER.readTree(removed.stdout()).path("warning").asText().contains("could not be reached"));
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
    }

    @Test
    void removeRevokesAtTheServerThatIssuedTheTokensWithoutTheOAuthVariables() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        browse(approve(connecting.url(), null));
        assertEquals(0, connecting.exit(), connecting.stderr());
        String refreshToken = storedRefreshToken();

        // another shell: neither QUIVER_OAUTH_BASE_URL nor QUIVER_OAUTH_CLIENT_ID; the tokens go back to the sandbox
        // that issued them, with the client they were issued to, and to no other server
        Cli removed = cliWith(Map.of(), "connections", "remove", "cf");
        assertEquals(0, removed.exit(), removed.stdout() + removed.stderr());
        assertFalse(Json.MAPPER.readTree(removed.stdout()).has("warning"), removed.stdout());
        assertFalse(removed.stderr().contains("dash.cloudflare.com"), removed.stderr());
        HttpResponse<String> reuse = refresh(refreshToken);
        assertEquals(400, reuse.statusCode());
        assertTrue(reuse.body().contains("invalid_grant"), reuse.body());
        assertNoSecret(connecting.stdout(), connecting.stderr(), removed.stdout(), removed.stderr());
    }

    @Test
    void aRemoveWhoseRevokeFailsPrintsTheWarningOnce() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        browse(approve(connecting.url(), null));
        assertEquals(0, connecting.exit(), connecting.stderr());
        sandbox.close();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Cli removed;
        // a log line goes to the process's stderr (logback's console appender), not to the command's err stream
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            removed = cli("connections", "remove", "cf");
        } finally {
            System.setErr(original);
        }
        assertEquals(0, removed.exit(), removed.stdout() + removed.stderr());
        String all = removed.stderr() + console.toString(StandardCharsets.UTF_8);
        assertEquals(1, all.split("the grant was not revoked", -1).length - 1, all);
    }

    @Test
    void verifyingAnOAuthConnectionListsOnlyThePermissionGroupsOfTheScopesApproved() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE + "," + DNS);
        browse(approve(connecting.url(), List.of("offline_access", "zone:read", "dns_records:read")));
        assertEquals(0, connecting.exit(), connecting.stdout() + connecting.stderr());
        Cli verify = cli("run", "cloudflare_verify_connection", "--connection", "cf");
        assertEquals(0, verify.exit(), verify.stdout() + verify.stderr());
        JsonNode permissions = Json.MAPPER.readTree(verify.stdout()).findValue("permissions");
        assertTrue(permissions != null && permissions.path("discovered").asBoolean(), verify.stdout());
        java.util.Set<String> groups = new java.util.TreeSet<>();
        permissions.path("groups").forEach(group -> groups.add(group.isTextual() ? group.asText()
                : group.path("name").asText()));
        assertEquals(new java.util.TreeSet<>(List.of("DNS Read", "Zone Read", "Zone Settings Read")), groups,
                verify.stdout());
    }

    @Test
    void deniedConsentStoresNothingAndSaysSo() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        String page = BROWSER.send(HttpRequest.newBuilder(URI.create(connecting.url())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> landed = browse(submit(connecting.url(), "consent=" + consentId(page)
                + "&decision=deny"));
        assertEquals(400, landed.statusCode());
        assertTrue(landed.body().contains("Consent was denied"), landed.body());
        assertEquals(2, connecting.exit());
        assertTrue(Json.MAPPER.readTree(connecting.stdout()).at("/error/message").asText()
                .contains("Consent was denied: connection 'cf' was not changed."), connecting.stdout());
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
    }

    @Test
    void aCallbackWithAnotherStateIsRefusedAndTheConnectGoesOn() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        String redirect = param(connecting.url(), "redirect_uri");
        HttpResponse<String> probe = browse(redirect + "?code=forged&state=forged");
        assertEquals(400, probe.statusCode());
        assertTrue(probe.body().contains("nothing was changed"), probe.body());
        assertEquals(200, browse(approve(connecting.url(), null)).statusCode());
        assertEquals(0, connecting.exit(), connecting.stderr());
    }

    @Test
    void noAnswerWithinTheTimeoutChangesNothing() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE, "--timeout", "1");
        assertEquals(2, connecting.exit());
        assertTrue(Json.MAPPER.readTree(connecting.stdout()).at("/error/message").asText()
                .contains("no answer from the consent page within 1 s: connection 'cf' was not changed"),
                connecting.stdout());
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
    }

    @Test
    void anInterruptedConnectStoresNothingAndStopsListening() throws Exception {
        Connecting connecting = connect("cf", "--skills", ZONE);
        String redirect = param(connecting.url(), "redirect_uri");
        String callback = approve(connecting.url(), null);  // consent given, but the answer is not delivered yet
        connecting.thread().interrupt();  // Ctrl-C, as an embedding caller sends it
        assertEquals(2, connecting.exit());
        assertTrue(connecting.stderr().contains("interrupted: connection 'cf' was not changed"), connecting.stderr());
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
        assertTrue(callback.startsWith(redirect));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> browse(callback),
                "nothing listens any more");
    }

    @Test
    void withoutAnOAuthClientItSaysWhatToSetAndListensForNothing() throws Exception {
        environment = Map.of();
        Cli refused = cli("connections", "connect", "cf", "--type", "cloudflare");
        assertEquals(2, refused.exit());
        assertTrue(refused.stdout().contains("set QUIVER_OAUTH_CLIENT_ID"), refused.stdout());
        Cli unknownSkill = cliWith(Map.of("QUIVER_OAUTH_CLIENT_ID", "x"), "connections", "connect", "cf",
                "--type", "cloudflare", "--skills", "no_such_skill");
        assertEquals(2, unknownSkill.exit());
        assertTrue(unknownSkill.stdout().contains("no installed skill 'no_such_skill'"), unknownSkill.stdout());
        Cli badSetting = cliWith(Map.of("QUIVER_OAUTH_CLIENT_ID", "x"), "connections", "connect", "cf",
                "--type", "cloudflare", "--setting", "zones=[not json");
        assertEquals(2, badSetting.exit());
        assertTrue(badSetting.stdout().contains("--setting zones is not valid JSON"), badSetting.stdout());
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
    }

    @Test
    void aConnectMissingARequiredSettingIsRefusedNamingItBeforeAnyUrlIsPrinted() throws Exception {
        // --timeout: were the URL printed and the answer awaited, the command would give up soon instead of hanging
        Cli refused = cli("connections", "connect", "cf", "--type", "cloudflare", "--no-browser", "--timeout", "2",
                "--setting", "zone_id=" + sandbox.connection().path("zone_id").asText(), "--base-url",
                sandbox.baseUrl());
        assertEquals(2, refused.exit(), refused.stdout() + refused.stderr());
        JsonNode error = Json.MAPPER.readTree(refused.stdout()).path("error");
        assertEquals("INVALID_CONNECTION", error.path("code").asText(), refused.stdout());
        assertTrue(error.path("message").asText().contains("'account_id' is required"), refused.stdout());
        assertTrue(error.path("remediation").asText().contains("--setting NAME=VALUE"), refused.stdout());
        assertFalse(refused.stderr().contains("http"), "no URL was printed: " + refused.stderr());
        assertFalse(Files.exists(dir.resolve("home/connections/cf.json")));
    }

    @Test
    void helpTellsWhatTheCommandDoes() throws Exception {
        Cli help = cli("connections", "connect", "--help");
        assertEquals(0, help.exit());
        String text = (help.stdout() + help.stderr()).replaceAll("\\s+", " ").replace(": <", ":<");
        for (String truth : List.of("--type", "--skills", "--setting=NAME=VALUE", "--base-url", "--timeout",
                "--no-browser", "http://127.0.0.1:<random port>/callback", "QUIVER_OAUTH_CLIENT_ID",
                "QUIVER_OAUTH_BASE_URL", "capability matrix", "xdg-open")) {
            assertTrue(text.contains(truth), "help mentions " + truth + ":\n" + text);
        }
    }

    // --- the terminal, the browser

    private record Connecting(String url, Thread thread, AtomicInteger code, ByteArrayOutputStream out,
                              List<String> err) {
        int exit() throws InterruptedException {
            thread.join(60_000);
            return code.get();
        }

        String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String stderr() {
            return String.join("\n", err);
        }
    }

    /** Starts {@code connections connect ID --type cloudflare …} and waits for the URL it prints. */
    private Connecting connect(String id, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString(), "connections", "connect", id, "--type", "cloudflare", "--setting",
                "account_id=" + sandbox.connection().path("account_id").asText(), "-s",
                "zone_id=" + sandbox.connection().path("zone_id").asText(), "--base-url", sandbox.baseUrl()));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedInputStream errors = new PipedInputStream(1 << 16);
        PrintStream err = new PrintStream(new PipedOutputStream(errors), true, StandardCharsets.UTF_8);
        AtomicInteger code = new AtomicInteger(-1);
        Map<String, String> env = environment;
        Thread thread = new Thread(() -> {
            code.set(Main.run(args.toArray(String[]::new), env::get, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), err));
            err.close();
        });
        thread.setDaemon(true);
        thread.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(errors, StandardCharsets.UTF_8));
        String url = null;
        while (url == null) {
            String line = reader.readLine();
            if (line == null) {
                break;
            }
            lines.add(line);
            if (line.startsWith("http")) {
                url = line;
            }
        }
        Thread drain = new Thread(() -> reader.lines().forEach(lines::add));
        drain.setDaemon(true);
        drain.start();
        assertTrue(url != null, "the command printed the URL: " + lines);
        return new Connecting(url, thread, code, out, lines);
    }

    private record Cli(int exit, String stdout, String stderr) {
    }

    private Cli cli(String... args) {
        return cliWith(environment, args);
    }

    private Cli cliWith(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(all.toArray(String[]::new), env::get, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Approves {@code scopes} (null: all offered) on the consent page; the callback URL it redirects to. */
    private String approve(String authorizeUrl, List<String> scopes) throws Exception {
        String page = BROWSER.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        StringBuilder form = new StringBuilder("consent=" + consentId(page) + "&decision=approve");
        List<String> approved = new ArrayList<>();
        if (scopes == null) {
            Matcher offered = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"").matcher(page);
            while (offered.find()) {
                approved.add(offered.group(1));
            }
        } else {
            approved.addAll(scopes);
        }
        approved.forEach(scope -> form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8)));
        return submit(authorizeUrl, form.toString());
    }

    private String submit(String authorizeUrl, String form) throws Exception {
        HttpResponse<String> decision = BROWSER.send(HttpRequest.newBuilder(URI.create(authorizeUrl)
                        .resolve("/oauth2/auth")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, decision.statusCode(), decision.body());
        String location = decision.headers().firstValue("location").orElseThrow();
        String code = param(location, "code");
        if (code != null) {
            secrets.add(code);
        }
        return location;
    }

    private static HttpResponse<String> browse(String url) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String consentId(String page) {
        Matcher m = Pattern.compile("name=\"consent\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private String storedRefreshToken() throws Exception {
        try (var runtime = dev.quiver.runner.runtime.QuiverRuntime.start(dir.resolve("home"), List.of(plugins),
                environment::get)) {
            String token = runtime.connections().find("cf").orElseThrow().credential().values().get("refresh_token");
            secrets.add(token);
            secrets.add(runtime.connections().find("cf").orElseThrow().credential().values().get("access_token"));
            return token;
        }
    }

    private HttpResponse<String> refresh(String refreshToken) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(sandbox.oauthBaseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + sandbox.oauthClientId() + "&refresh_token="
                        + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode skill(JsonNode report, String id) {
        for (JsonNode skill : report.path("skills")) {
            if (skill.path("id").asText().equals(id)) {
                return skill;
            }
        }
        throw new AssertionError("no " + id + " in " + report);
    }

    private static String param(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** No code or token in the texts or in any file of the home. */
    private void assertNoSecret(String... texts) throws Exception {
        List<String> all = new ArrayList<>(List.of(texts));
        try (Stream<Path> files = Files.walk(dir.resolve("home"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertFalse(secrets.isEmpty());
        for (String text : all) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a code or token appears: " + text);
            }
            assertFalse(text.contains("cfoat_sbx") || text.contains("sbxrt_"), "a token appears: " + text);
        }
    }
}

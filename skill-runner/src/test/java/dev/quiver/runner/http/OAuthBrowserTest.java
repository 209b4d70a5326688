package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.quiver.runner.cli.Main;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Chromium;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Click to connect" as a person does it, in a real headless Chromium: {@code serve --sandbox}, an admin's connect,
 * the sandbox's consent page with one scope unticked, Approve, the callback page; then the skill that needed the
 * unticked scope is refused naming it. Screenshots of each page go to {@code target/screenshots/oauth/}.
 */
class OAuthBrowserTest {

    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+) ");
    private static final String ZONE = "cloudflare_get_zone_details";
    private static final String DNS = "cloudflare_list_dns_records";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void aPersonConnectsInChromiumApprovingOneScopeOfTwoAndTheOtherSkillIsRefusedNamingIt() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Path shots = Chromium.screenshots("oauth");
        Files.createDirectories(shots);
        List<String> stderr = new CopyOnWriteArrayList<>();
        PipedInputStream stdout = new PipedInputStream(1 << 16);
        PipedInputStream errors = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new PipedOutputStream(errors), true, StandardCharsets.UTF_8);
        Thread serve = new Thread(() -> Main.run(new String[]{"--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString(), "serve", "--port", "0", "--sandbox"}, name -> null,
                new ByteArrayInputStream(new byte[0]), out, err));
        serve.setDaemon(true);
        serve.start();
        String url = null;
        BufferedReader errLines = new BufferedReader(new InputStreamReader(errors, StandardCharsets.UTF_8));
        while (url == null) {
            String line = errLines.readLine();
            if (line == null) {
                break;
            }
            stderr.add(line);
            Matcher serving = SERVING.matcher(line);
            if (serving.find()) {
                url = serving.group(1);
            }
        }
        assertTrue(url != null, "serve started: " + stderr);
        Thread drain = new Thread(() -> errLines.lines().forEach(stderr::add));
        drain.setDaemon(true);
        drain.start();
        String key = Json.MAPPER.readTree(new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))
                .readLine()).path("key").asText();
        try (Chromium chromium = Chromium.launch()) {
            HttpResponse<String> started = call(url, "POST", "/api/v1/connections/customer-a/connect", key,
                    "{\"type\": \"cloudflare\", \"skills\": [\"" + ZONE + "\", \"" + DNS + "\"]}");
            assertEquals(200, started.statusCode(), started.body());
            String authorize = Json.MAPPER.readTree(started.body()).path("authorize_url").asText();

            BrowserContext context = chromium.browser().newContext();
            Page page = context.newPage();
            page.navigate(authorize);
            assertTrue(page.textContent("body").contains("Quiver (sandbox)"), page.content());
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("1-consent.png")).setFullPage(true));
            page.locator("input[name=scope][value='dns_records:read']").uncheck();
            assertTrue(page.locator("input[name=scope][value='zone:read']").isChecked());
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("2-dns-unticked.png")).setFullPage(true));
            page.waitForNavigation(() -> page.locator("button[value=approve]").click());

            assertTrue(page.url().startsWith(url + "/api/v1/oauth/callback?"), page.url());
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("3-callback.png")).setFullPage(true));
            String landed = page.textContent("body");
            assertEquals("Quiver: Connected", page.title());
            assertTrue(landed.contains("Connection customer-a (cloudflare) is connected."), landed);
            assertTrue(page.locator("li", new Page.LocatorOptions().setHasText(ZONE)).count() == 1, landed);
            assertTrue(landed.contains(DNS + ": reconnect and approve dns_records:read"), landed);
            String html = page.content();
            context.close();

            HttpResponse<String> zone = call(url, "POST", "/api/v1/skills/" + ZONE + "/executions", key,
                    "{\"connection\": \"customer-a\", \"input\": {}}");
            assertEquals(200, zone.statusCode(), zone.body());
            HttpResponse<String> dns = call(url, "POST", "/api/v1/skills/" + DNS + "/executions", key,
                    "{\"connection\": \"customer-a\", \"input\": {}}");
            assertEquals(403, dns.statusCode(), dns.body());
            JsonNode refused = Json.MAPPER.readTree(dns.body()).path("error");
            assertEquals("PERMISSION_DENIED", refused.path("code").asText());
            assertTrue(refused.path("remediation").asText().contains("approve dns_records:read"), dns.body());

            for (String text : List.of(html, page.url(), zone.body(), dns.body(), String.join("\n", stderr))) {
                assertFalse(text.contains("cfoat_sbx") || text.contains("sbxrt_"), "a token appears: " + text);
            }
            assertFalse(html.contains("sbxcode_"), "the code is not on the page");
        } finally {
            serve.interrupt();
            serve.join(30_000);
        }
    }

    private HttpResponse<String> call(String base, String method, String path, String key, String json)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

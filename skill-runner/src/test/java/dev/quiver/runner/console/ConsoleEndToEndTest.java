package dev.quiver.runner.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.oauth.OAuthClientSettings;
import dev.quiver.runner.testing.Chromium;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console as people use it, in a real headless Chromium (the system's), through the real service with the
 * Cloudflare sandbox and OAuth through the sandbox's consent page, set up as {@code serve --sandbox} sets it up. Each page is
 * checked with axe-core (no serious or critical violation) and screenshotted to
 * {@code target/screenshots/console/}. No page may log an error, such as a refusal by the Content-Security-Policy.
 * The steps build on each other (the connection made first is used later), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleEndToEndTest {

    @TempDir
    static Path dir;

    private static Service service;
    private static Chromium chromium;
    private static String axe;
    private static Path screenshots;

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // axe-core from the console's node_modules (a dev dependency installed by the console module's npm ci)
        String axePath = System.getProperty("quiver.test.axe", "../console/node_modules/axe-core/axe.min.js");
        assertTrue(Files.isReadable(Path.of(axePath)), "axe-core is missing at " + axePath
                + ": build the console module first (mvn package -pl console)");
        axe = Files.readString(Path.of(axePath));
        screenshots = Files.createDirectories(Chromium.screenshots("console"));
        // a plugin that fails to start, for the plugins page to say why
        Files.createDirectories(dir.resolve("plugins"));
        PluginArchives.failsOnStartPlugin(dir.resolve("plugins/broken-at-boot.zip"), "broken-at-boot");
        service = Service.start(dir);
        // as 'serve --sandbox' does with nothing configured: OAuth connects go to the sandbox's consent page, and a
        // connection made so takes the sandbox's account, zone and base URL
        service.runtime().oauth().useClientIfNone(new OAuthClientSettings(service.sandbox().oauthClientId(), null,
                null, service.sandbox().oauthBaseUrl()), "cloudflare", service.sandbox().connection());
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        assertEquals(List.of(), pageErrors, "errors the pages logged (a CSP refusal would be one)");
    }

    private String base() {
        return "http://127.0.0.1:" + service.port();
    }

    /** A fresh tab (its own sessionStorage) signed in with the key of {@code role}, on {@code hash}. */
    private Page signedIn(Role role, String hash) {
        Page page = newPage();
        page.navigate(base() + "/" + hash);
        page.getByLabel("API key").fill(service.key(role));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isVisible();
        return page;
    }

    private Page newPage() {
        BrowserContext context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 900));
        contexts.add(context);
        context.setDefaultTimeout(30_000);
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            // an answer with an error status is logged by Chromium itself ("Failed to load resource"): the console
            // shows those; anything else (a CSP refusal, an exception) is the console's fault
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                pageErrors.add(page.url() + ": " + message.text());
            }
        });
        page.onPageError(error -> pageErrors.add(page.url() + ": " + error));
        return page;
    }

    /** Checks the page with axe-core and saves its screenshot as {@code name}.png. */
    private void check(Page page, String name) throws Exception {
        page.waitForLoadState();
        // evaluated by the DevTools protocol: the page's CSP (no inline script) does not apply to it
        page.evaluate("() => { if (!window.axe) { (0, eval)(" + Json.MAPPER.writeValueAsString(axe) + "); } }");
        String violations = (String) page.evaluate("async () => { const r = await axe.run(document,"
                + " {resultTypes: ['violations']}); return JSON.stringify(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                + " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))); }");
        assertEquals("[]", violations, name + ": serious or critical accessibility violations");
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(true));
    }

    /** How many executions of the capability test's skill the records hold. */
    private static int verifications() throws Exception {
        return service.get("/api/v1/executions?skill=cloudflare_verify_connection&limit=100", Role.VIEWER).json()
                .path("executions").size();
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    @Order(1)
    void anAdminSignsInConnectsTheSandboxThroughItsConsentPageAndSeesTheCapabilityMatrix() throws Exception {
        Page page = newPage();
        page.navigate(base() + "/");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Quiver console"))).isVisible();
        check(page, "00-sign-in");

        page.getByLabel("API key").fill("qk_nobody.not-a-key");
        button(page, "Sign in").click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("the API key is not valid");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("What to do: Check the key");
        assertThat(page.getByRole(AriaRole.ALERT)).not().containsText("Bearer");
        check(page, "01-sign-in-refused");

        int verifiesBefore = verifications();
        // by keyboard: the key, then Enter
        page.getByLabel("API key").fill(service.key(Role.ADMIN));
        page.getByLabel("API key").press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Connections").setLevel(1)))
                .isVisible();
        assertFalse(page.url().contains(service.key(Role.ADMIN)), "the key is never in the URL");
        Locator sandboxRow = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("sandbox"));
        // opening the page runs nothing on the vendor: the status is the stored one until a test is asked for
        assertThat(sandboxRow).containsText("not checked");
        page.waitForTimeout(1500);
        assertEquals(verifiesBefore, verifications(), "opening the Connections page creates no execution record");
        page.reload();
        assertThat(sandboxRow).containsText("not checked");
        page.waitForTimeout(1000);
        assertEquals(verifiesBefore, verifications(), "nor does a second visit");
        sandboxRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Capabilities of sandbox")).click();
        assertThat(sandboxRow).containsText("ready");
        assertEquals(verifiesBefore + 1, verifications(), "the capability test runs on demand");

        page.getByLabel("Connection id").first().fill("customer-a");
        Page consent = page.context().waitForPage(() -> button(page, "Connect with Cloudflare").click());
        consent.waitForLoadState();
        assertThat(consent.getByRole(AriaRole.HEADING)).containsText("Authorize Quiver");
        assertThat(page.getByText("Waiting for the consent for customer-a")).isVisible();
        check(page, "02-connections-waiting-for-consent");
        // approve everything but DNS: the matrix then shows what to add
        consent.locator("input[name=scope][value='dns_records:read']").uncheck();
        consent.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("03-sandbox-consent.png")));
        consent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
        assertThat(consent.getByRole(AriaRole.HEADING)).containsText("Connected");
        consent.close();

        assertThat(page.getByText("Connected customer-a.")).isVisible();
        Locator matrix = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions()
                .setName("capability matrix of customer-a"));
        assertThat(matrix).isVisible();
        Locator dns = matrix.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions()
                .setHasText("cloudflare_list_dns_records"));
        assertThat(dns).containsText("blocked");
        assertThat(dns).containsText("DNS Read");
        // an OAuth connection's fix is a scope approved when reconnecting, not a token's permission
        assertThat(matrix.getByRole(AriaRole.COLUMNHEADER, new Locator.GetByRoleOptions().setName("What to approve")))
                .isVisible();
        assertThat(dns).containsText("Reconnect and approve the scope that grants DNS Read");
        assertThat(matrix.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions()
                .setHasText("cloudflare_get_zone_details"))).containsText("ready");
        assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("customer-a")).first())
                .containsText("partly");
        check(page, "04-connections-capability-matrix");

        JsonNode stored = service.get("/api/v1/connections/customer-a", Role.ADMIN).json();
        assertEquals("customer-a", stored.path("id").asText(), stored.toString());
    }

    @Test
    @Order(2)
    void anAnalystRunsZoneDetailsAndTheAuditLogSkillFromTheirForms() throws Exception {
        Page page = signedIn(Role.ANALYST, "#/skills/cloudflare_get_zone_details");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Connections"))).hasCount(0);
        page.getByLabel("Connection").selectOption("sandbox");
        page.getByLabel("name", new Page.GetByLabelOptions().setExact(true)).fill("example.com");
        button(page, "Run").click();
        Locator zones = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("zones (1)"));
        assertThat(zones).containsText("829d7095de07af9c6aac285c1dee83fa");
        check(page, "05-skill-zone-details");

        page.navigate(base() + "/#/skills/cloudflare_get_audit_logs");
        page.getByLabel("Connection").selectOption("sandbox");
        Locator limit = page.getByLabel("limit", new Page.GetByLabelOptions().setExact(true));
        assertThat(limit).hasValue("100"); // the schema's default
        limit.fill("0");
        button(page, "Run").click();
        assertThat(page.locator(".skill-form .panel-danger")).containsText("limit");
        assertEquals(0, service.get("/api/v1/executions?skill=cloudflare_get_audit_logs", Role.VIEWER).json()
                .path("executions").size(), "an invalid input is not sent");
        limit.fill("5");
        button(page, "Run").click();
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("entries (5)"))).isVisible();
        check(page, "06-skill-audit-logs");
        Locator execution = page.locator("section.card dl.facts a code").last();
        String first = execution.textContent();
        String firstPage = page.locator("pre.json").last().textContent();
        button(page, "Next page").click();
        assertThat(execution).not().hasText(first); // the next page's execution
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("entries (5)"))).isVisible();
        assertFalse(firstPage.equals(page.locator("pre.json").last().textContent()), "the next page differs");
        assertEquals(2, service.get("/api/v1/executions?skill=cloudflare_get_audit_logs", Role.VIEWER).json()
                .path("executions").size(), "two pages, two executions");
    }

    @Test
    @Order(3)
    void aResponderPreviewsThenCreatesARuleAndTheSameRuleIsRefusedToAnAnalyst() throws Exception {
        String input = "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                + " \"expression\": \"ip.src eq 198.51.100.99\", \"ref\": \"console-e2e\"}}";
        Page page = signedIn(Role.RESPONDER, "#/skills/cloudflare_create_ruleset_rule");
        page.getByLabel("Connection").selectOption("sandbox");
        page.getByLabel("phase", new Page.GetByLabelOptions().setExact(true)).selectOption("http_request_firewall_custom");
        page.getByLabel(Pattern.compile("^action")).selectOption("block");
        page.getByLabel(Pattern.compile("^expression")).fill("ip.src eq 198.51.100.99");
        // position has no default in the schema: nothing chosen, no required "before" field (the skill puts it last)
        assertThat(page.getByLabel(Pattern.compile("^before"))).hasCount(0);
        assertThat(page.getByText("action_parameters")).hasCount(0);
        page.getByLabel("ref", new Page.GetByLabelOptions().setExact(true)).fill("console-e2e");
        button(page, "Preview (dry run)").click();
        Locator preview = page.locator("section.preview");
        assertThat(preview).containsText("\"dry_run\"");
        assertThat(preview).containsText("ip.src eq 198.51.100.99");
        check(page, "07-write-skill-preview");
        assertEquals(0, rulesWithRef("console-e2e"), "a preview changes nothing");

        button(page, "Confirm and run").click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Run cloudflare_create_ruleset_rule on sandbox?");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run it")).click();
        assertThat(page.locator("section.card").filter(new Locator.FilterOptions().setHasText("Result")).last())
                .containsText("created");
        check(page, "08-write-skill-created");
        assertEquals(1, rulesWithRef("console-e2e"), "the rule exists once");

        Page analyst = signedIn(Role.ANALYST, "#/skills/cloudflare_create_ruleset_rule");
        assertThat(analyst.getByRole(AriaRole.NOTE)).containsText("Your key may not run this skill");
        assertThat(analyst.getByRole(AriaRole.NOTE)).containsText("needs role responder");
        assertThat(button(analyst, "Preview (dry run)")).hasCount(0);
        check(analyst, "09-write-skill-refused-to-analyst");
        // and the service refuses it too, whatever a client offers
        Reply refused = service.execute("cloudflare_create_ruleset_rule", Role.ANALYST, input);
        assertEquals(403, refused.status(), refused.body());
        assertEquals("PERMISSION_DENIED", refused.json().at("/error/code").asText());
    }

    private int rulesWithRef(String ref) {
        JsonNode executions = service.get("/api/v1/executions?skill=cloudflare_create_ruleset_rule&status=succeeded",
                Role.VIEWER).json().path("executions");
        int created = 0;
        for (JsonNode e : executions) {
            JsonNode record = service.get("/api/v1/executions/" + e.path("id").asText(), Role.VIEWER).json();
            if (ref.equals(record.at("/output/rule/ref").asText()) && !record.path("dry_run").asBoolean()) {
                created++;
            }
        }
        return created;
    }

    @Test
    @Order(4)
    void theExecutionsAreFoundByFiltersAndShowTheirDetail() throws Exception {
        Page page = signedIn(Role.VIEWER, "#/executions");
        assertThat(page.getByRole(AriaRole.TABLE)).containsText("cloudflare_get_audit_logs");
        page.getByLabel("Skill").selectOption("cloudflare_create_ruleset_rule");
        page.getByLabel("Status").selectOption("succeeded");
        page.getByLabel("Connection", new Page.GetByLabelOptions().setExact(true)).fill("sandbox");
        button(page, "Search").click();
        Locator table = page.getByRole(AriaRole.TABLE);
        assertThat(table.locator("tbody tr")).hasCount(2); // the preview and the rule
        assertThat(table).not().containsText("cloudflare_get_audit_logs");
        check(page, "10-executions");

        // a time range: nothing ran after next year's start; everything ran since this morning
        page.getByLabel("Since").fill(java.time.Year.now().plusYears(1) + "-01-01T00:00");
        button(page, "Search").click();
        assertThat(page.getByText("No execution matches.")).isVisible();
        page.getByLabel("Since").fill(java.time.LocalDate.now().minusDays(1) + "T00:00");
        button(page, "Search").click();
        assertThat(table.locator("tbody tr")).hasCount(2);

        table.locator("tbody tr").first().getByRole(AriaRole.LINK).click();
        Locator detail = page.locator("section.card");
        assertThat(detail).containsText("Input, as recorded");
        assertThat(detail).containsText("Request ids (cf-ray)");
        assertThat(detail).containsText("Caller");
        assertThat(detail).containsText("created");
        check(page, "11-execution-detail");
    }

    @Test
    @Order(5)
    void anAnalystReadsThePostureReviewByZoneAndSeverity() throws Exception {
        Page page = signedIn(Role.ANALYST, "#/posture");
        page.getByLabel("Connection").selectOption("sandbox");
        button(page, "Run").click();
        assertThat(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Findings by severity")))
                .containsText("high");
        Locator staging = page.locator("section.zone").filter(new Locator.FilterOptions()
                .setHasText("staging.example.dev"));
        assertThat(staging).containsText("Flexible");
        assertThat(staging).containsText("Remediation");
        assertThat(page.locator("section.zone").filter(new Locator.FilterOptions().setHasText("blog.example.org")))
                .containsText("high");
        // an evidence table is labelled once (by its term), not twice ("records records")
        assertTrue(page.locator(".evidence caption").count() > 0, "evidence with a table");
        assertEquals(Boolean.TRUE, page.evaluate("() => [...document.querySelectorAll('.evidence caption')]"
                + ".every(c => c.getBoundingClientRect().width <= 1)"), "an evidence table's caption is not shown");
        check(page, "12-posture-review");
    }

    @Test
    @Order(6)
    void anAdminSeesWhyAPluginDidNotStartUploadsOneWithItsSha256AndRemovesIt() throws Exception {
        Path archive = templateArchive();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(archive)));
        Page page = signedIn(Role.ADMIN, "#/plugins");
        assertThat(page.getByRole(AriaRole.TABLE)).containsText("cloudflare-skills");
        Locator broken = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("broken-at-boot"));
        assertThat(broken).not().containsText("started");
        assertThat(broken).containsText("refuses to start");
        page.getByLabel("Archive").setInputFiles(archive);
        // the browser's digest of the file is no substitute for the publisher's: not offered beside its input
        assertThat(page.getByTestId("computed-sha256")).hasCount(0);
        page.getByLabel("SHA-256 published with the plugin").fill("0".repeat(64));
        button(page, "Install").click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("What to do:");
        // refused for a mismatch: now the file's own digest is shown, to compare with the publisher's
        assertThat(page.getByTestId("computed-sha256")).hasText(sha256);
        check(page, "13-plugins-upload-refused");
        page.getByLabel("SHA-256 published with the plugin").fill(sha256);
        button(page, "Install").click();
        assertThat(page.getByText(Pattern.compile("^Installed lantern"))).isVisible();
        Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("lantern"));
        assertThat(row).containsText("started");
        check(page, "14-plugins-installed");
        assertTrue(service.get("/api/v1/skills", Role.VIEWER).body().contains("lantern_list_alerts"));

        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(Pattern.compile("^Remove"))).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Remove plugin lantern");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove").setExact(true)).click();
        assertThat(page.getByText(Pattern.compile("^Removed lantern"))).isVisible();
        assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("lantern")))
                .hasCount(0);
        check(page, "15-plugins-removed");
        assertFalse(service.get("/api/v1/skills", Role.VIEWER).body().contains("lantern_list_alerts"));
    }

    @Test
    @Order(7)
    void anAdminAddsAConnectionByTokenTestingItBeforeSaving() throws Exception {
        JsonNode sandbox = service.sandbox().connection();
        Page page = signedIn(Role.ADMIN, "#/connections");
        Locator form = page.locator("form").filter(new Locator.FilterOptions().setHasText("Add by token"));
        form.getByLabel("Connection id").fill("acme-token");
        form.getByLabel("API token").fill(sandbox.at("/auth/token").asText());
        form.getByLabel("Account id").fill(sandbox.path("account_id").asText());
        form.getByLabel("API base URL (optional)").fill(sandbox.path("base_url").asText());
        button(page, "Test the token").click();
        Locator matrix = form.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions()
                .setName("capability matrix of acme-token"));
        assertThat(matrix.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions()
                .setHasText("cloudflare_get_zone_details"))).containsText("ready");
        assertEquals(404, service.get("/api/v1/connections/acme-token", Role.ADMIN).status(), "tested, not saved");
        // the matrix has the page's width: its four columns are all shown, none cut off
        assertThat(matrix.getByRole(AriaRole.COLUMNHEADER, new Locator.GetByRoleOptions()
                .setName("What to add to the token"))).isVisible();
        assertEquals(Boolean.FALSE, matrix.evaluate("e => e.scrollWidth > e.clientWidth"), "the matrix overflows");
        assertTrue(matrix.boundingBox().width > 900, "the matrix is not squeezed into half the page");
        form.getByLabel("Zone").selectOption(new com.microsoft.playwright.options.SelectOption()
                .setLabel("shop.example.net"));
        assertThat(form.getByLabel("Permission groups (comma-separated)")).hasValue(Pattern.compile("Zone Read"));
        check(page, "16-connections-add-by-token-tested");
        button(page, "Save connection").click();
        assertThat(page.getByText("Added acme-token.")).isVisible();

        JsonNode stored = service.get("/api/v1/connections/acme-token", Role.ADMIN).json();
        assertEquals(sandbox.path("account_id").asText(), stored.path("account_id").asText(), stored.toString());
        assertEquals("6da0b0c77abb0d3bc3b748362ccbdd5d", stored.path("zone_id").asText(), "shop.example.net's id");
        assertFalse(stored.toString().contains(sandbox.at("/auth/token").asText()), "the token is never returned");
        List<String> ids = new ArrayList<>();
        service.get("/api/v1/connections", Role.ADMIN).json().path("connections")
                .forEach(c -> ids.add(c.path("id").asText()));
        assertEquals(List.of("acme-token", "customer-a", "sandbox"), ids.stream().sorted().toList(),
                "the temporary connection of the test is gone");
        Reply zone = service.post("/api/v1/skills/cloudflare_get_zone_details/executions", Role.ANALYST,
                "{\"connection\": \"acme-token\", \"input\": {\"zone_id\": \"6da0b0c77abb0d3bc3b748362ccbdd5d\"}}");
        assertEquals(200, zone.status(), zone.body());
    }

    @Test
    @Order(8)
    void anAdminReconnectsAConnectionApprovingWhatWasLeftOut() throws Exception {
        Page page = signedIn(Role.ADMIN, "#/connections");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reconnect customer-a")).click();
        Page consent = page.context().waitForPage(() -> button(page, "Reconnect").click());
        consent.waitForLoadState();
        consent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
        assertThat(consent.getByRole(AriaRole.HEADING)).containsText("Connected");
        consent.close();
        assertThat(page.getByText("Connected customer-a.")).isVisible();
        Locator matrix = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions()
                .setName("capability matrix of customer-a"));
        assertThat(matrix.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions()
                .setHasText("cloudflare_list_dns_records"))).containsText("ready");
        check(page, "17-connections-reconnected");
    }

    @Test
    @Order(9)
    void anAdminRemovesAConnectionAfterConfirming() throws Exception {
        Page page = signedIn(Role.ADMIN, "#/connections");
        Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("customer-a"));
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove customer-a")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Remove customer-a?");
        check(page, "18-connections-remove-confirmation");
        page.keyboard().press("Escape");
        assertThat(dialog).isHidden();
        assertEquals(200, service.get("/api/v1/connections/customer-a", Role.ADMIN).status(), "Escape keeps it");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove customer-a")).click();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove").setExact(true)).click();
        assertThat(page.getByText("Removed customer-a.")).isVisible();
        assertEquals(404, service.get("/api/v1/connections/customer-a", Role.ADMIN).status());
    }

    @Test
    @Order(10)
    void aKeyRevokedDuringTheSessionIsSentBackToSignInWithTheReason() throws Exception {
        var created = service.runtime().keys().create(Role.VIEWER);
        Page page = newPage();
        page.navigate(base() + "/#/executions");
        page.getByLabel("API key").fill(created.key());
        button(page, "Sign in").click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Executions").setLevel(1)))
                .isVisible();
        assertThat(page.getByRole(AriaRole.TABLE)).isVisible(); // the first page of records has loaded
        assertEquals(200, service.delete("/api/v1/keys/" + created.apiKey().id(), Role.ADMIN).status());
        button(page, "Search").click();
        assertThat(page.getByLabel("API key")).isVisible();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("not valid");
        assertEquals(null, page.evaluate("() => sessionStorage.getItem('quiver.api-key')"), "the key is forgotten");
    }

    @Test
    @Order(11)
    void anAdminKeyLimitedToSomeConnectionsSeesOnlyThoseAndIsNotOfferedPlugins() throws Exception {
        String limited = service.runtime().keys().create(Role.ADMIN,
                dev.quiver.runner.access.ConnectionScope.of(List.of("acme-*")), null).key();
        Page page = newPage();
        page.navigate(base() + "/");
        page.getByLabel("API key").fill(limited);
        button(page, "Sign in").click();
        assertThat(page.getByRole(AriaRole.BANNER)).containsText("connections acme-*");
        Locator nav = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"));
        assertThat(nav.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Connections"))).isVisible();
        assertThat(nav.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Plugins"))).hasCount(0);
        Locator rows = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Stored connections"))
                .locator("tbody tr");
        assertThat(rows).hasCount(1);
        assertThat(rows).containsText("acme-token");
        check(page, "19-connections-limited-admin");
    }

    static Path templateArchive() throws Exception {
        Path folder = Path.of(System.getProperty("quiver.test.example-plugins", "target/example-plugins"));
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("lantern-plugin")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no template plugin in " + folder));
        }
    }
}

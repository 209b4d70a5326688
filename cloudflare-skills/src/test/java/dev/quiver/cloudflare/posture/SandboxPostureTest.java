package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.Simulator;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.cloudflare.inventory.GetZoneSecuritySettingsSkill;
import dev.quiver.cloudflare.inventory.ListDnsRecordsSkill;
import dev.quiver.cloudflare.inventory.ListEdgeRulesSkill;
import dev.quiver.cloudflare.inventory.ListFirewallRulesSkill;
import dev.quiver.cloudflare.inventory.ListRateLimitRulesSkill;
import dev.quiver.cloudflare.inventory.ListWorkersSkill;
import dev.quiver.cloudflare.sandbox.CloudflareSimulator;
import dev.quiver.testkit.Outcome;
import dev.quiver.testkit.SkillHarness;
import dev.quiver.testkit.TestConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The posture review and the inventory skills on the plugin's real simulator, through the real gate: the review
 * finds exactly the seeded gaps, never calls a bad address "blocked" without proof, and degrades by permission.
 */
class SandboxPostureTest {

    private static Simulator.Running sandbox;
    private static ObjectNode printed;

    @BeforeAll
    static void start() throws Exception {
        sandbox = new CloudflareSimulator().start(new Simulator.Options(0, Map.of()));
        printed = sandbox.connection();
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    /** The sandbox's connection with its own permissions, or {@code permissions} instead (null: unknown). */
    private static SkillHarness harness(List<String> permissions, boolean keepDeclared) {
        TestConnection connection = TestConnection.of("cloudflare", "api_token",
                        Map.of("token", printed.at("/auth/token").asText()), printed.path("base_url").asText())
                .withSetting("account_id", printed.path("account_id").asText())
                .withSetting("zone_id", printed.path("zone_id").asText());
        List<String> held = new ArrayList<>();
        printed.path("permissions").forEach(p -> held.add(p.asText()));
        connection = connection.withPermissions(keepDeclared ? held : permissions);
        return SkillHarness.of(new CloudflareConnectionType(), connection);
    }

    private static Set<String> findings(JsonNode output) {
        Set<String> found = new TreeSet<>();
        for (JsonNode zone : output.path("zones")) {
            for (JsonNode finding : zone.path("findings")) {
                found.add(zone.path("zone_name").asText() + " " + finding.path("id").asText());
            }
        }
        return found;
    }

    @Test
    void theReviewOfEveryZoneFindsExactlyTheSeededGaps() throws Exception {
        JsonNode output = harness(null, true).run(new ReviewSecurityPostureSkill(), "{}");
        assertEquals(new TreeSet<>(Set.of(
                "example.com proxied_origins", "example.com workers_routes",
                "shop.example.net login_not_rate_limited:/login", "shop.example.net dmarc_missing",
                "shop.example.net proxied_origins", "shop.example.net workers_routes",
                "blog.example.org waf_off", "blog.example.org proxied_origins",
                "staging.example.dev ssl_flexible", "staging.example.dev tls_below_minimum",
                "staging.example.dev https_not_enforced", "staging.example.dev hsts_off",
                "staging.example.dev proxied_origins")), findings(output));
        assertEquals(0, output.at("/summary/critical").asInt());
        assertEquals(2, output.at("/summary/high").asInt());
        assertEquals(4, output.at("/summary/medium").asInt());
        assertEquals(1, output.at("/summary/low").asInt());
        assertEquals(6, output.at("/summary/info").asInt());
        for (JsonNode zone : output.path("zones")) {
            assertTrue(zone.path("skipped").isEmpty(), "the sandbox token holds every optional permission");
        }
        String report = output.path("report_markdown").asText();
        assertTrue(report.startsWith("# Cloudflare security posture review"), report);
        assertTrue(report.contains("## shop.example.net"), report);
        assertTrue(report.contains("No rate limiting rule covers /login"), report);
    }

    @Test
    void badAddressesAreBlockedOnlyWithProofAndNotProvenWhenTheExpressionIsComplex() throws Exception {
        JsonNode output = harness(null, true).run(new ReviewSecurityPostureSkill(), """
                {"zones": ["example.com"], "bad_ips": ["192.0.2.66", "203.0.113.7", "198.51.100.77", "45.155.205.233"]}
                """);
        JsonNode zone = output.at("/zones/0");
        Map<String, String> status = new java.util.HashMap<>();
        Map<String, JsonNode> evidence = new java.util.HashMap<>();
        for (JsonNode check : zone.path("checks")) {
            status.put(check.path("check").asText(), check.path("status").asText());
            evidence.put(check.path("check").asText(), check.path("evidence"));
        }
        assertEquals("passed", status.get("bad_ip_blocked:192.0.2.66"));
        assertEquals("expression", evidence.get("bad_ip_blocked:192.0.2.66").path("via").asText());
        assertEquals("passed", status.get("bad_ip_blocked:203.0.113.7"));
        assertEquals("list $bad_actors", evidence.get("bad_ip_blocked:203.0.113.7").path("via").asText());
        assertEquals("not_proven", status.get("bad_ip_blocked:198.51.100.77"));
        assertEquals("failed", status.get("bad_ip_blocked:45.155.205.233"));
        assertEquals(new TreeSet<>(Set.of("example.com proxied_origins", "example.com workers_routes",
                        "example.com bad_ip_not_proven:198.51.100.77", "example.com bad_ip_not_blocked:45.155.205.233")),
                findings(output));
    }

    @Test
    void withoutTheListPermissionAListBlockIsNotProvenNeverBlocked() throws Exception {
        JsonNode output = harness(List.of("Zone Read", "Zone WAF Read"), false).run(new ReviewSecurityPostureSkill(),
                "{\"zones\": [\"example.com\"], \"bad_ips\": [\"203.0.113.7\"]}");
        JsonNode zone = output.at("/zones/0");
        Set<String> ids = findings(output);
        assertTrue(ids.contains("example.com bad_ip_not_proven:203.0.113.7"), ids.toString());
        Set<String> skipped = new TreeSet<>();
        zone.path("skipped").forEach(s -> skipped.add(s.path("check").asText() + " <- " + s.path("permission").asText()));
        assertEquals(new TreeSet<>(Set.of("ssl_mode <- Zone Settings Read", "min_tls_version <- Zone Settings Read",
                "always_use_https <- Zone Settings Read", "hsts <- Zone Settings Read", "spf <- DNS Read",
                "dmarc <- DNS Read", "proxied_origins <- DNS Read", "workers_routes <- Workers Routes Read")),
                skipped);
    }

    @Test
    void withOnlyZoneReadEveryCheckIsSkippedWithItsPermissionAndNothingIsSentForThem() {
        Outcome outcome = harness(List.of("Zone Read"), false).execute(new ReviewSecurityPostureSkill(), "{}");
        assertTrue(outcome.succeeded(), outcome.message());
        assertEquals(0, outcome.output().at("/summary/high").asInt());
        for (JsonNode zone : outcome.output().path("zones")) {
            assertEquals(13, zone.path("skipped").size(), zone.toString());
        }
        // GET /zones only: no check read anything it may not.
        assertEquals(1, outcome.requestsSent());
    }

    @Test
    void withoutZoneReadTheReviewIsRefusedBeforeAnyRequest() {
        Outcome outcome = harness(List.of("Zone WAF Read", "DNS Read"), false)
                .execute(new ReviewSecurityPostureSkill(), "{}");
        assertEquals("PERMISSION_DENIED", outcome.code());
        assertEquals(0, outcome.requestsSent());
    }

    @Test
    void everyInventorySkillRunsOnTheSandboxWithAnEmptyInput() throws Exception {
        SkillHarness harness = harness(null, true);
        JsonNode dns = harness.run(new ListDnsRecordsSkill(), "{}");
        assertEquals("v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
                dns.at("/email_security/dmarc/record").asText());
        assertEquals("reject", dns.at("/email_security/dmarc/policy").asText());
        assertEquals("-all", dns.at("/email_security/spf/all_qualifier").asText());
        assertEquals("google", dns.at("/email_security/dkim_selectors/0").asText());
        JsonNode settings = harness.run(new GetZoneSecuritySettingsSkill(), "{}");
        assertEquals("strict", settings.at("/zones/0/ssl").asText());
        assertTrue(settings.at("/zones/0/hsts/enabled").asBoolean());
        JsonNode waf = harness.run(new ListFirewallRulesSkill(), "{}");
        assertEquals(4, waf.path("custom_rules").size());
        assertEquals("efb7b8c949ac4650a09736fc376e9aee", waf.at("/managed_rules/0/managed_ruleset_id").asText());
        JsonNode rateLimits = harness.run(new ListRateLimitRulesSkill(), "{}");
        assertEquals(10, rateLimits.at("/rules/0/requests_per_period").asInt());
        JsonNode workers = harness.run(new ListWorkersSkill(), "{}");
        assertEquals(2, workers.path("scripts").size());
        assertEquals("edge-auth", workers.at("/routes/0/script").asText());
        JsonNode edge = harness.run(new ListEdgeRulesSkill(), "{}");
        assertEquals("forwarding_url", edge.at("/page_rules/0/actions/0/id").asText());
        assertTrue(edge.path("skipped").isEmpty());
    }

    @Test
    void edgeRulesWithoutTheTransformPermissionListThePhasesAsSkipped() throws Exception {
        JsonNode edge = harness(List.of("Page Rules Read"), false).run(new ListEdgeRulesSkill(), "{}");
        ArrayNode skipped = (ArrayNode) edge.path("skipped");
        assertEquals(2, skipped.size(), skipped.toString());
        assertFalse(skipped.toString().contains("Page Rules"));
    }
}

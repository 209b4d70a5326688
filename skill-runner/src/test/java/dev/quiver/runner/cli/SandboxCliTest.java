package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's path for a new user: {@code sandbox} prints a connection, and every Cloudflare skill runs through
 * the CLI, with the real plugin archive, against it.
 */
class SandboxCliTest {

    @TempDir
    static Path dir;
    private static Thread sandboxThread;
    private static final AtomicInteger sandboxExit = new AtomicInteger(-1);
    private static Path plugins;
    private static Path connection;
    private static JsonNode connectionJson;

    @BeforeAll
    static void startSandboxCommand() throws Exception {
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        PipedInputStream stdout = new PipedInputStream();
        PrintStream sandboxOut = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        sandboxThread = new Thread(() -> sandboxExit.set(Main.run(new String[]{"sandbox", "--port", "0"},
                name -> null, new ByteArrayInputStream(new byte[0]), sandboxOut,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))));
        sandboxThread.setDaemon(true);
        sandboxThread.start();
        String line = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8)).readLine();
        connectionJson = Json.MAPPER.readTree(line);
        connection = Files.writeString(dir.resolve("sandbox.json"), line);
    }

    @AfterAll
    static void stopSandboxCommand() throws Exception {
        sandboxThread.interrupt();
        sandboxThread.join(5000);
        assertEquals(0, sandboxExit.get(), "sandbox exits 0 when stopped");
    }

    record Run(int exit, JsonNode json, String stderr, String stdout) {
    }

    private static Run cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString()));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        // JSON unless --format markdown asked for a report.
        JsonNode json = stdout.isBlank() || stdout.startsWith("#") ? null : Json.MAPPER.readTree(stdout);
        return new Run(exit, json, err.toString(StandardCharsets.UTF_8), stdout);
    }

    private static Run run(String skill, String input, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", skill, "--connection", connection.toString(), "--input",
                input));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void theSandboxPrintsAReadyConnectionOnOneLine() {
        for (String field : List.of("id", "type", "auth", "account_id", "zone_id", "base_url")) {
            assertTrue(connectionJson.has(field), field);
        }
        assertEquals("cloudflare", connectionJson.path("type").asText());
        assertTrue(connectionJson.path("base_url").asText().startsWith("http://127.0.0.1:"));
    }

    @Test
    void everyCloudflareSkillRunsAgainstTheSandbox() throws Exception {
        Run verify = run("cloudflare_verify_connection", "{}");
        Run zones = run("cloudflare_get_zone_details", "{\"status\": \"active\", \"include_settings\": true}");
        Run logs = run("cloudflare_get_audit_logs", "{\"limit\": 1500}");
        Run detections = run("cloudflare_get_audit_logs_for_detections",
                "{\"since\": \"2020-01-01T00:00:00Z\", \"limit\": 5000}");
        Run insights = run("cloudflare_get_security_insights", "{}");
        Run apps = run("cloudflare_list_access_applications", "{}");
        Run rule = run("cloudflare_create_ruleset_rule", "{\"phase\": \"http_request_firewall_custom\", \"rule\":"
                + " {\"action\": \"block\", \"expression\": \"ip.src eq 203.0.113.99\", \"ref\": \"all-seven\"}}");

        for (Run each : List.of(verify, zones, logs, detections, insights, apps, rule)) {
            assertEquals(0, each.exit(), each.json() + each.stderr());
            assertEquals("succeeded", each.json().path("status").asText());
            assertFalse(each.json().path("request_ids").isEmpty(), "cf-ray ids are carried");
        }
        assertTrue(verify.json().at("/output/valid").asBoolean());
        assertTrue(verify.json().at("/output/permissions/discovered").asBoolean());
        assertEquals(3, zones.json().at("/output/count").asInt(), "three active zones");
        assertEquals("on", zones.json().at("/output/zones/0/settings/always_use_https").asText());
        assertEquals(1500, logs.json().at("/output/count").asInt());
        assertTrue(logs.json().at("/output/truncated").asBoolean());
        assertTrue(detections.json().at("/output/count").asInt() >= 5000, "at least 5,000 entries over 30 days");
        Set<String> severities = new java.util.HashSet<>();
        insights.json().at("/output/insights").forEach(i -> severities.add(i.path("severity").asText()));
        assertEquals(Set.of("Critical", "Moderate", "Low"), severities);
        assertTrue(apps.json().at("/output/count").asInt() >= 5);
        assertEquals("created", rule.json().at("/output/status").asText());
    }

    @Test
    void theReadmesDryRunWithInputFromAFileWorksAsWritten() throws Exception {
        // README: run cloudflare_create_ruleset_rule --connection my-connection.json --dry-run --input @block-rule.json
        Path rule = Files.writeString(dir.resolve("block-rule.json"), "{\"phase\": \"http_request_firewall_custom\","
                + " \"rule\": {\"action\": \"block\", \"expression\": \"ip.src eq 198.51.100.7\"}}");
        Run run = cli("run", "cloudflare_create_ruleset_rule", "--connection", connection.toString(), "--dry-run",
                "--input", "@" + rule);
        assertEquals(0, run.exit(), run.json() + run.stderr());
        assertEquals("dry_run", run.json().at("/output/status").asText(), run.json().toString());
    }

    @Test
    void aMistypedSkillIdGetsTheSkillMeant() throws Exception {
        Run run = run("cloudflare_get_zone_detail", "{}");
        assertEquals(2, run.exit());
        assertTrue(run.json().at("/error/message").asText()
                .contains("did you mean 'cloudflare_get_zone_details'?"), run.json().toString());
    }

    @Test
    void aDryRunOfAReadSkillWarnsThatThereIsNothingToPreview() throws Exception {
        Run run = run("cloudflare_get_zone_details", "{}", "--dry-run");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("is a read skill: it has nothing to preview"), run.stderr());
    }

    @Test
    void theDetectionSkillFindsTheOffHoursWafRuleDeletion() throws Exception {
        Run run = run("cloudflare_get_audit_logs_for_detections",
                "{\"actor_email\": \"mallory@example.com\", \"since\": \"2020-01-01T00:00:00Z\"}");

        assertEquals(0, run.exit());
        JsonNode deletion = null;
        for (JsonNode event : run.json().at("/output/events")) {
            if ("delete".equals(event.path("action").asText()) && "rule".equals(event.at("/resource/type").asText())) {
                deletion = event;
            }
        }
        assertTrue(deletion != null, run.json().toString());
        assertTrue(deletion.path("time").asText().contains("T03:12:"), deletion.toString());
        assertTrue(deletion.path("old_value").asText().contains("block"));
    }

    @Test
    void aCreatedRuleShowsUpInTheRulesetAndTheSameRefTwiceYieldsOneRule() throws Exception {
        String input = "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\","
                + " \"expression\": \"ip.src eq 198.51.100.250\", \"ref\": \"once-only\"}}";
        Run dry = run("cloudflare_create_ruleset_rule", input, "--dry-run");
        Run first = run("cloudflare_create_ruleset_rule", input);
        Run second = run("cloudflare_create_ruleset_rule", input);

        assertEquals("dry_run", dry.json().at("/output/status").asText());
        assertEquals("created", first.json().at("/output/status").asText());
        assertEquals("exists", second.json().at("/output/status").asText());
        assertEquals(first.json().at("/output/rule/id"), second.json().at("/output/rule/id"));
        assertEquals(first.json().at("/output/ruleset/rules_count"), second.json().at("/output/ruleset/rules_count"));
        assertEquals(dry.json().at("/output/ruleset/rules_count").asInt() + 1,
                first.json().at("/output/ruleset/rules_count").asInt(), "the dry run wrote nothing");
    }

    @Test
    void anEntrypointThatDoesNotExistIsCreatedOnAnotherZone() throws Exception {
        Run zones = run("cloudflare_get_zone_details", "{\"name\": \"blog.example.org\"}");
        String zone = zones.json().at("/output/zones/0/id").asText();

        Run rule = run("cloudflare_create_ruleset_rule", "{\"zone_id\": \"" + zone + "\", \"phase\":"
                + " \"http_request_firewall_custom\", \"rule\": {\"action\": \"managed_challenge\","
                + " \"expression\": \"ip.src in {203.0.113.0/24}\"}}");

        assertEquals(0, rule.exit(), rule.json().toString());
        assertEquals(1, rule.json().at("/output/ruleset/rules_count").asInt());
        assertEquals("zone", rule.json().at("/output/ruleset/kind").asText());
    }

    @Test
    void aWrongTokenIsRefusedAsCloudflareWouldAndNamesNoSecret() throws Exception {
        ObjectNode wrong = connectionJson.deepCopy();
        ((ObjectNode) wrong.get("auth")).put("token", "sbx_wrong_token_0000000000000000000000000");
        Path file = Files.writeString(dir.resolve("wrong.json"), wrong.toString());

        Run run = cli("run", "cloudflare_get_zone_details", "--connection", file.toString(), "--input", "{}");

        assertEquals(4, run.exit());
        assertEquals("AUTHENTICATION_FAILED", run.json().at("/error/code").asText());
        assertFalse(run.json().toString().contains("sbx_wrong_token"));
        assertFalse(run.stderr().contains("sbx_wrong_token"));
    }

    @Test
    void aMissingGroupIsDeniedBeforeAnyRequest() throws Exception {
        ObjectNode readOnly = connectionJson.deepCopy();
        readOnly.putArray("permissions").add("Zone Read");
        Path file = Files.writeString(dir.resolve("read-only.json"), readOnly.toString());

        Run run = cli("run", "cloudflare_create_ruleset_rule", "--connection", file.toString(), "--input",
                "{\"phase\": \"http_request_firewall_custom\", \"rule\": {\"action\": \"block\", \"expression\": \"true\"}}");

        assertEquals(3, run.exit());
        assertEquals("Zone WAF Write", run.json().at("/error/missing/0/permission").asText());
        assertTrue(run.json().at("/error/request_ids").isEmpty());
    }

    @Test
    void connectionsTestShowsTheReviewPartlyWhenAnOptionalPermissionIsMissing() throws Exception {
        ObjectNode narrow = connectionJson.deepCopy();
        narrow.put("id", "review-narrow");
        narrow.putArray("permissions").add("Zone Read").add("Zone Settings Read");
        Path file = Files.writeString(dir.resolve("review-narrow.json"), narrow.toString());
        assertEquals(0, cli("connections", "add", file.toString()).exit());
        Run test = cli("connections", "test", "review-narrow");
        cli("connections", "remove", "review-narrow");

        JsonNode review = null;
        for (JsonNode skill : test.json().path("skills")) {
            if (skill.path("id").asText().equals("cloudflare_review_security_posture")) {
                review = skill;
            }
        }
        assertEquals("partly", review.path("status").asText(), review.toString());
        assertTrue(review.path("can_run").asBoolean(), "Zone Read, the one required permission, is held");
        java.util.Map<String, String> granted = new java.util.TreeMap<>();
        review.path("optional").forEach(o -> granted.put(o.path("permission").asText(), o.path("granted").asText()));
        assertEquals(java.util.Map.of("Zone Settings Read", "yes", "Zone WAF Read", "no", "DNS Read", "no",
                "Workers Routes Read", "no", "Account Filter Lists Read", "no"), granted);

        Run run = cli("run", "cloudflare_review_security_posture", "--connection", file.toString(), "--input",
                "{\"zones\": [\"staging.example.dev\"]}");
        assertEquals(0, run.exit(), run.stderr());
        JsonNode zone = run.json().at("/output/zones/0");
        Run report = cli("run", "cloudflare_review_security_posture", "--connection", file.toString(), "--input",
                "{\"zones\": [\"staging.example.dev\"]}", "--format", "markdown");
        assertEquals(0, report.exit(), report.stderr());
        assertTrue(report.stdout().startsWith("# Cloudflare security posture review"), report.stdout());
        assertTrue(report.stdout().contains("| high | SSL mode is Flexible"), report.stdout());
        assertTrue(report.stdout().contains("grant **DNS Read**"), report.stdout());
        assertEquals("ssl_flexible", zone.at("/findings/0/id").asText(), zone.toString());
        java.util.Set<String> skipped = new java.util.TreeSet<>();
        zone.path("skipped").forEach(s -> skipped.add(s.path("permission").asText()));
        assertEquals(java.util.Set.of("Zone WAF Read", "DNS Read", "Workers Routes Read"), skipped);
    }

    @Test
    void connectionsTestCallsAWriteSkillBlockedWhenNoWayOfCallingItHasItsPermission() throws Exception {
        ObjectNode narrow = connectionJson.deepCopy();
        narrow.put("id", "narrow");
        narrow.putArray("permissions").add("Zone Read").add("Zone Settings Read").add("Account Settings Read");
        Path file = Files.writeString(dir.resolve("narrow.json"), narrow.toString());
        assertEquals(0, cli("connections", "add", file.toString()).exit());
        Run test = cli("connections", "test", "narrow");
        cli("connections", "remove", "narrow");

        JsonNode createRule = null;
        JsonNode zones = null;
        for (JsonNode skill : test.json().path("skills")) {
            if (skill.path("id").asText().equals("cloudflare_create_ruleset_rule")) {
                createRule = skill;
            } else if (skill.path("id").asText().equals("cloudflare_get_zone_details")) {
                zones = skill;
            }
        }
        assertEquals("blocked", createRule.path("status").asText(), createRule.toString());
        assertFalse(createRule.path("can_run").asBoolean());
        assertEquals(3, createRule.path("modes").size(), "zone firewall, zone transform, account");
        for (JsonNode mode : createRule.path("modes")) {
            assertFalse(mode.path("can_run").asBoolean(), mode.toString());
            assertEquals(1, mode.path("missing").size(), mode.toString());
        }
        assertEquals("ready", zones.path("status").asText(), "Zone Read, and Zone Settings Read for the settings");
        assertEquals(2, zones.path("modes").size());
    }

    @Test
    void aStoredConnectionRunsByIdAndItsTokenIsInNoFileOfTheHome() throws Exception {
        String token = connectionJson.at("/auth/token").asText();
        Run add = cli("connections", "add", connection.toString());
        Run list = cli("connections", "list", "--json");
        Run byId = cli("run", "cloudflare_get_zone_details", "--connection", "sandbox", "--input", "{}");
        Run again = cli("connections", "add", connection.toString());
        Run get = cli("connections", "get", "sandbox");
        Run test = cli("connections", "test", "sandbox");

        assertEquals(0, add.exit(), add.stderr());
        assertEquals(0, get.exit());
        assertEquals(add.json().path("fingerprint").asText(), get.json().path("fingerprint").asText());
        assertEquals(0, test.exit(), String.valueOf(test.json()));
        assertTrue(test.json().path("verified").asBoolean());
        assertEquals(14, test.json().path("skills").size());
        JsonNode createRule = null;
        for (JsonNode skill : test.json().path("skills")) {
            if (skill.path("id").asText().equals("cloudflare_create_ruleset_rule")) {
                createRule = skill;
            } else {
                assertEquals("ready", skill.path("status").asText(), skill.toString());
            }
        }
        assertEquals("partly", createRule.path("status").asText(), "the sandbox token lacks Transform Rules Write");
        assertEquals("Transform Rules Write", createRule.at("/missing/0/permission").asText());
        assertEquals("sandbox", add.json().path("id").asText());
        assertEquals("sandbox", list.json().at("/0/id").asText());
        assertEquals(0, byId.exit(), String.valueOf(byId.json()));
        assertEquals(2, again.exit(), "an id already stored is refused");
        for (Run run : List.of(add, list, byId, again, get, test)) {
            assertFalse(String.valueOf(run.json()).contains(token));
            assertFalse(run.stderr().contains(token));
        }
        try (var files = Files.walk(dir.resolve("home"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(token), file.toString());
            }
        }
        assertEquals(0, cli("connections", "remove", "sandbox").exit());
        assertEquals(2, cli("run", "cloudflare_get_zone_details", "--connection", "sandbox").exit());
        assertEquals(2, cli("connections", "get", "sandbox").exit());
    }

    @Test
    void theSandboxRefusesAPortOutOfRange() throws Exception {
        assertEquals(2, cli("sandbox", "--port", "70000").exit());
    }

}

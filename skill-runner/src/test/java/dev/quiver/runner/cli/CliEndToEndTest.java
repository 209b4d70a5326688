package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI entry point with the real built Cloudflare plugin archive, loaded through pf4j from a plugins folder,
 * against a WireMock Cloudflare answering with the official API's shapes.
 */
class CliEndToEndTest {

    private static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";
    private static final String CANARY_TOKEN = "cfTok3n-CANARY-1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f";
    private static final String CANARY_KEY = "c2547eb745079dac9320b638f5e225cf483cc5cfdda41";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;
    private Path plugins;
    private final List<String> transcripts = new ArrayList<>();
    private PrintStream originalErr;
    private ByteArrayOutputStream logs;

    @BeforeEach
    void setUp() throws Exception {
        plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        // Logs go to System.err whatever stream the CLI is handed: capture them for the canary check too.
        originalErr = System.err;
        logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void canaryAppearsNowhere() {
        System.setErr(originalErr);
        transcripts.add(logs.toString(StandardCharsets.UTF_8));
        for (String transcript : transcripts) {
            assertFalse(transcript.contains(CANARY_TOKEN), "token leaked:\n" + transcript);
            assertFalse(transcript.contains(CANARY_KEY), "key leaked:\n" + transcript);
        }
    }

    record Run(int exit, JsonNode json, String stdout, String stderr) {
    }

    private Run cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--plugins",
                plugins.toString()));
        all.addAll(List.of(args));
        Map<String, String> env = Map.of("CF_API_TOKEN", CANARY_TOKEN, "CF_API_KEY", CANARY_KEY);
        int exit = Main.run(all.toArray(String[]::new), env::get, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        transcripts.add(stdout);
        transcripts.add(stderr);
        JsonNode json = stdout.isBlank() ? null : Json.MAPPER.readTree(stdout);
        return new Run(exit, json, stdout, stderr);
    }

    private Path tokenConnection(String permissions) throws Exception {
        return Files.writeString(dir.resolve("token.json"), "{\"id\": \"acme\", \"type\": \"cloudflare\","
                + "\"auth\": {\"method\": \"api_token\", \"token\": \"${env:CF_API_TOKEN}\"},"
                + "\"account_id\": \"" + ACCOUNT + "\", \"zone_id\": \"" + ZONE + "\","
                + "\"permissions\": " + permissions + ", \"base_url\": \"" + cloudflare.baseUrl() + "/client/v4\"}");
    }

    private Path globalKeyConnection() throws Exception {
        return Files.writeString(dir.resolve("global.json"), "{\"id\": \"legacy\", \"type\": \"cloudflare\","
                + "\"auth\": {\"method\": \"global_api_key\", \"email\": \"soc@example.com\","
                + "\"key\": \"${env:CF_API_KEY}\"}, \"account_id\": \"" + ACCOUNT + "\", \"zone_id\": \"" + ZONE
                + "\", \"base_url\": \"" + cloudflare.baseUrl() + "/client/v4\"}");
    }

    private static String zone() {
        return "{\"id\": \"" + ZONE + "\", \"name\": \"example.com\", \"status\": \"active\", \"paused\": false,"
                + "\"type\": \"full\", \"development_mode\": 0, \"name_servers\": [\"bob.ns.cloudflare.com\","
                + "\"lola.ns.cloudflare.com\"], \"original_name_servers\": null, \"original_registrar\": null,"
                + "\"account\": {\"id\": \"" + ACCOUNT + "\", \"name\": \"Example Account Name\"},"
                + "\"meta\": {\"page_rule_quota\": 3, \"phishing_detected\": false},"
                + "\"created_on\": \"2014-01-01T05:20:00.12345Z\", \"modified_on\": \"2014-01-01T05:20:00.12345Z\","
                + "\"activated_on\": \"2014-01-02T00:01:00.12345Z\"}";
    }

    private static String envelope(String result) {
        return "{\"success\": true, \"errors\": [], \"messages\": [], \"result\": " + result + "}";
    }

    private void stubZone() {
        cloudflare.stubFor(get("/client/v4/zones/" + ZONE).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("cf-ray", "8a1b2c3d4e5f6789-IAD")
                .withBody(envelope(zone()))));
    }

    @Test
    void skillsListsBothSkillsOfTheRealArchive() throws Exception {
        Run run = cli("skills", "--json");
        assertEquals(0, run.exit());
        List<String> ids = new ArrayList<>();
        run.json().forEach(s -> ids.add(s.path("id").asText()));
        assertTrue(ids.containsAll(List.of("cloudflare_get_zone_details", "cloudflare_verify_connection")), ids.toString());
    }

    @Test
    void describeFollowsTheContractsDescriptorSchemaForEverySkill() throws Exception {
        CompiledSchema descriptorSchema = new JsonSchemas().builtIn("skill-descriptor");
        for (String id : List.of("cloudflare_get_zone_details", "cloudflare_verify_connection",
                "cloudflare_review_security_posture", "cloudflare_list_edge_rules")) {
            Run run = cli("describe", id);
            assertEquals(0, run.exit(), run.stdout());
            assertEquals(List.of(), descriptorSchema.validate(run.json()).listed(), id);
            assertEquals(id, run.json().path("id").asText());
        }
    }

    @Test
    void zoneDetailsWithAnApiTokenSendsBearerAndReturnsTheZone() throws Exception {
        stubZone();
        Run run = cli("run", "cloudflare_get_zone_details", "--connection", tokenConnection("[\"Zone Read\"]").toString());
        assertEquals(0, run.exit(), run.stdout());
        assertEquals("example.com", run.json().at("/output/zones/0/name").asText());
        assertEquals(1, run.json().at("/output/count").asInt());
        assertEquals("8a1b2c3d4e5f6789-IAD", run.json().at("/request_ids/0").asText());
        cloudflare.verify(getRequestedFor(urlEqualTo("/client/v4/zones/" + ZONE))
                .withHeader("Authorization", equalTo("Bearer " + CANARY_TOKEN)));
    }

    @Test
    void zoneDetailsWithTheGlobalKeySendsEmailAndKeyAndWarns() throws Exception {
        stubZone();
        Run run = cli("run", "cloudflare_get_zone_details", "--connection", globalKeyConnection().toString());
        assertEquals(0, run.exit(), run.stdout());
        assertTrue(run.stderr().contains("global_api_key"), run.stderr());
        cloudflare.verify(getRequestedFor(urlEqualTo("/client/v4/zones/" + ZONE))
                .withHeader("X-Auth-Email", equalTo("soc@example.com"))
                .withHeader("X-Auth-Key", equalTo(CANARY_KEY)));
    }

    @Test
    void verifyConnectionWithAnApiTokenDiscoversItsPermissionGroups() throws Exception {
        cloudflare.stubFor(get("/client/v4/user/tokens/verify").willReturn(aResponse().withStatus(200)
                .withBody(envelope("{\"id\": \"ed17574386854bf78a67040be0a770b0\", \"status\": \"active\","
                        + "\"not_before\": \"2018-07-01T05:20:00Z\", \"expires_on\": \"2030-01-01T00:00:00Z\"}"))));
        cloudflare.stubFor(get("/client/v4/user/tokens/ed17574386854bf78a67040be0a770b0").willReturn(aResponse()
                .withStatus(200).withBody(envelope("{\"id\": \"ed17574386854bf78a67040be0a770b0\", \"name\": \"soc\","
                        + "\"status\": \"active\", \"policies\": [{\"id\": \"f267e341f3dd4697bd3b9f71dd96247f\","
                        + "\"effect\": \"allow\", \"permission_groups\": [{\"id\": \"c8fed203ed3043cba015a93ad1616f1f\","
                        + "\"name\": \"Zone Read\"}], \"resources\": {\"com.cloudflare.api.account." + ACCOUNT
                        + "\": {\"com.cloudflare.api.account.zone.*\": \"*\"}}}]}"))));
        Run run = cli("run", "cloudflare_verify_connection", "--connection", tokenConnection("[]").toString());
        assertEquals(0, run.exit(), run.stdout());
        assertTrue(run.json().at("/output/valid").asBoolean());
        assertEquals("user", run.json().at("/output/token_owner").asText());
        assertEquals("Zone Read", run.json().at("/output/permissions/groups/0/name").asText());
        assertEquals("2030-01-01T00:00:00Z", run.json().at("/output/expires_on").asText());
    }

    @Test
    void verifyConnectionWithTheGlobalKeyReadsTheUser() throws Exception {
        cloudflare.stubFor(get("/client/v4/user").willReturn(aResponse().withStatus(200)
                .withBody(envelope("{\"id\": \"7c5dae5552338874e5053f2534d2767a\", \"email\": \"soc@example.com\"}"))));
        Run run = cli("run", "cloudflare_verify_connection", "--connection", globalKeyConnection().toString());
        assertEquals(0, run.exit(), run.stdout());
        // The email is half of a Global API key credential: like every auth field, it is redacted from output.
        assertEquals("[redacted]", run.json().at("/output/user_email").asText());
        assertFalse(run.stdout().contains("soc@example.com"), run.stdout());
        assertFalse(run.json().at("/output/permissions/discovered").asBoolean());
        cloudflare.verify(getRequestedFor(urlPathEqualTo("/client/v4/user")).withHeader("X-Auth-Key", equalTo(CANARY_KEY)));
    }

    @Test
    void permissionDeniedRunExitsThreeAndSendsNoRequest() throws Exception {
        Run run = cli("run", "cloudflare_get_zone_details", "--connection",
                tokenConnection("[\"Account Settings Read\"]").toString(), "--input", "{\"include_settings\": true}");
        assertEquals(3, run.exit(), run.stdout());
        assertEquals("PERMISSION_DENIED", run.json().at("/error/code").asText());
        assertEquals("Zone Read", run.json().at("/error/missing/0/permission").asText());
        assertEquals("zone", run.json().at("/error/missing/0/scope").asText());
        assertEquals(ZONE, run.json().at("/error/missing/0/resource").asText());
        assertEquals("Zone Settings Read", run.json().at("/error/missing/1/permission").asText());
        cloudflare.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void invalidInputRunExitsTwoWithPointersAndSendsNoRequest() throws Exception {
        Run run = cli("run", "cloudflare_get_zone_details", "--connection", tokenConnection("[\"Zone Read\"]").toString(),
                "--input", "{\"zone_id\": \"example.com\", \"limit\": 0}");
        assertEquals(2, run.exit(), run.stdout());
        assertEquals("INVALID_INPUT", run.json().at("/error/code").asText());
        List<String> pointers = new ArrayList<>();
        run.json().at("/error/details").forEach(d -> pointers.add(d.path("pointer").asText()));
        assertTrue(pointers.containsAll(List.of("/zone_id", "/limit")), pointers.toString());
        cloudflare.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void rejectedCredentialExitsFourWithoutShowingIt() throws Exception {
        cloudflare.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(400).withBody("{\"success\": false,"
                + "\"errors\": [{\"code\": 1000, \"message\": \"Invalid API Token\"}], \"messages\": [], \"result\": null}")));
        Run run = cli("run", "cloudflare_get_zone_details", "--connection", tokenConnection("[\"Zone Read\"]").toString());
        assertEquals(4, run.exit(), run.stdout());
        assertEquals("AUTHENTICATION_FAILED", run.json().at("/error/code").asText());
        assertTrue(run.json().at("/error/remediation").asText().contains("new API token"));
    }

    @Test
    void unknownSkillAndMissingConnectionFileExitTwo() throws Exception {
        Run unknown = cli("describe", "cloudflare_nothing");
        assertEquals(2, unknown.exit());
        assertEquals("UNKNOWN_SKILL", unknown.json().at("/error/code").asText());
        Run typo = cli("describe", "cloudflare_get_zone_detail");
        assertEquals(2, typo.exit());
        assertTrue(typo.json().at("/error/message").asText().endsWith("did you mean 'cloudflare_get_zone_details'?"),
                "describe names the skill meant, as run does: " + typo.json());
        Run missingInput = cli("run", "cloudflare_get_zone_details", "--connection", "x", "--input",
                "@" + dir.resolve("no-such-input.json"));
        assertEquals(2, missingInput.exit());
        assertTrue(missingInput.stderr().contains("no-such-input.json' does not exist")
                || missingInput.stdout().contains("no-such-input.json' does not exist"), missingInput.stderr());
        Run noConnection = cli("run", "cloudflare_get_zone_details", "--connection", dir.resolve("nope.json").toString());
        assertEquals(2, noConnection.exit());
        assertEquals("UNKNOWN_CONNECTION", noConnection.json().at("/error/code").asText());
    }

    @Test
    void pluginsReportsTheArchiveAndItsSkills() throws Exception {
        Run run = cli("plugins", "--json");
        assertEquals(0, run.exit());
        assertEquals("cloudflare-skills", run.json().at("/0/id").asText());
        assertEquals("started", run.json().at("/0/state").asText());
        List<String> skills = new ArrayList<>();
        run.json().at("/0/skills").forEach(skill -> skills.add(skill.asText()));
        assertEquals(List.of("cloudflare_create_ruleset_rule", "cloudflare_get_audit_logs",
                "cloudflare_get_audit_logs_for_detections", "cloudflare_get_security_insights",
                "cloudflare_get_zone_details", "cloudflare_get_zone_security_settings",
                "cloudflare_list_access_applications", "cloudflare_list_dns_records", "cloudflare_list_edge_rules",
                "cloudflare_list_firewall_rules", "cloudflare_list_rate_limit_rules", "cloudflare_list_workers",
                "cloudflare_review_security_posture", "cloudflare_verify_connection"),
                skills.stream().sorted().toList());
    }
}

package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.SecretLeaks;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cloudflare misbehaving, seen through the real service and the real plugin: every fault ends in the contract's
 * error within the execution's deadline; reads are retried, a write is sent again only after a 429 (which
 * Cloudflare answers before acting); and the credential, a canary, leaks through none of it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpstreamFaultsTest {

    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
    private static final String ZONE = "fedcba9876543210fedcba9876543210";
    private static final String RULESET = "aaaabbbbccccddddeeeeffff00001111";
    private static final String ZONE_PATH = "/zones/" + ZONE;
    private static final String RULES_PATH = ZONE_PATH + "/rulesets/" + RULESET + "/rules";
    private static final String ZONE_JSON = envelope("{\"id\": \"" + ZONE + "\", \"name\": \"example.com\","
            + " \"status\": \"active\", \"paused\": false}");
    private static final String RULESET_JSON = envelope("{\"id\": \"" + RULESET + "\", \"name\": \"custom\","
            + " \"kind\": \"zone\", \"phase\": \"http_request_firewall_custom\", \"version\": \"3\", \"rules\": []}");
    private static final String HTML_502 = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().globalTemplating(true)).build();

    @TempDir
    static Path dir;
    private static Service service;
    private static SecretLeaks leaks;
    private static final List<String> canaries = new ArrayList<>();
    private static final List<Reply> replies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        leaks = SecretLeaks.capturingLogs();
        service = Service.start(dir);
    }

    @AfterAll
    static void noCanaryLeaked() throws Exception {
        try {
            replies.add(service.get("/api/v1/executions?limit=1000", Role.VIEWER));
            replies.add(service.get("/metrics", Role.VIEWER));
            replies.add(service.get("/api/v1/connections", Role.ADMIN));
            service.close();
            leaks.assertAbsent(canaries, replies, dir);
            assertTrue(leaks.logEvents() > 0, "the logs were captured");
        } finally {
            leaks.close();
        }
    }

    @Test
    void aConnectionResetOnAReadIsRetried() {
        String connection = connect();
        inOrder(() -> get(ZONE_PATH), "reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                okJson(ZONE_JSON));

        Reply reply = zoneDetails(connection, 10);

        assertEquals(200, reply.status(), reply.body());
        assertEquals(ZONE, reply.json().at("/output/zones/0/id").asText());
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo(ZONE_PATH)));
    }

    @Test
    void readsResetEveryTimeEndInUpstreamErrorAfterBoundedRetries() {
        String connection = connect();
        cloudflare.stubFor(get(ZONE_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Reply reply = zoneDetails(connection, 10);

        assertError(reply, 502, "UPSTREAM_ERROR");
        cloudflare.verify(4, getRequestedFor(urlPathEqualTo(ZONE_PATH)));
    }

    @Test
    void aWriteCutByAConnectionResetIsNotRepeated() {
        String connection = connect();
        rulesetExists();
        cloudflare.stubFor(post(RULES_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Reply reply = createRule(connection, 10);

        assertError(reply, 502, "UPSTREAM_ERROR");
        assertTrue(reply.json().at("/error/message").asText().contains("not repeated"), reply.body());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES_PATH)));
    }

    @Test
    void aTruncatedJsonAnswerToAReadIsFetchedAgain() {
        String connection = connect();
        inOrder(() -> get(ZONE_PATH), "truncated",
                okJson(ZONE_JSON.substring(0, ZONE_JSON.length() - 20)), okJson(ZONE_JSON));

        Reply reply = zoneDetails(connection, 10);

        assertEquals(200, reply.status(), reply.body());
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo(ZONE_PATH)));
    }

    @Test
    void aTruncatedJsonAnswerToAWriteIsAnUpstreamErrorSentOnce() {
        String connection = connect();
        rulesetExists();
        cloudflare.stubFor(post(RULES_PATH).willReturn(okJson(RULESET_JSON.substring(0, 40))));

        Reply reply = createRule(connection, 10);

        assertError(reply, 502, "UPSTREAM_ERROR");
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES_PATH)));
    }

    @Test
    void anHtmlBadGatewayPageIsAnUpstreamErrorNamingWhatCame() {
        String connection = connect();
        cloudflare.stubFor(get(ZONE_PATH).willReturn(aResponse().withStatus(502)
                .withHeader("content-type", "text/html").withBody(HTML_502)));

        Reply reply = zoneDetails(connection, 10);

        assertError(reply, 502, "UPSTREAM_ERROR");
        assertTrue(reply.json().at("/error/message").asText().contains("text/html"), reply.body());
        assertFalse(reply.body().contains("<html"), "the page itself is not passed on");
        cloudflare.verify(4, getRequestedFor(urlPathEqualTo(ZONE_PATH)));
    }

    @Test
    void anAnswerSlowerThanTheDeadlineTimesOutAtTheDeadline() {
        String connection = connect();
        cloudflare.stubFor(get(ZONE_PATH).willReturn(okJson(ZONE_JSON).withFixedDelay(15_000)));

        long start = System.nanoTime();
        Reply reply = zoneDetails(connection, 1);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertError(reply, 504, "TIMEOUT");
        assertTrue(millis < 3_000, "answered after " + millis + " ms for a 1 s deadline");
    }

    @Test
    void aSlowWriteTimesOutAndIsNotSentAgain() {
        String connection = connect();
        rulesetExists();
        cloudflare.stubFor(post(RULES_PATH).willReturn(okJson(RULESET_JSON).withFixedDelay(15_000)));

        Reply reply = createRule(connection, 1);

        assertError(reply, 504, "TIMEOUT");
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES_PATH)));
    }

    @Test
    void aBurstOf5xxOnAReadIsRiddenOut() {
        String connection = connect();
        String failure = "{\"success\": false, \"errors\": [{\"code\": 10001, \"message\": \"service unavailable\"}],"
                + " \"messages\": [], \"result\": null}";
        inOrder(() -> get(ZONE_PATH), "burst", aResponse().withStatus(500).withBody(failure),
                aResponse().withStatus(503).withBody(failure), aResponse().withStatus(502).withBody(HTML_502),
                okJson(ZONE_JSON));

        Reply reply = zoneDetails(connection, 10);

        assertEquals(200, reply.status(), reply.body());
        cloudflare.verify(4, getRequestedFor(urlPathEqualTo(ZONE_PATH)));
    }

    @Test
    void a5xxAnswerToAWriteIsNotRepeated() {
        String connection = connect();
        rulesetExists();
        cloudflare.stubFor(post(RULES_PATH).willReturn(aResponse().withStatus(503).withBody(HTML_502)));

        Reply reply = createRule(connection, 10);

        assertError(reply, 502, "UPSTREAM_ERROR");
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES_PATH)));
    }

    @Test
    void a429StormEndsInRateLimitedWithRetryAfterBeforeTheDeadline() {
        String connection = connect();
        cloudflare.stubFor(get(ZONE_PATH).willReturn(aResponse().withStatus(429).withHeader("retry-after", "1")
                .withBody("{\"success\": false, \"errors\": [{\"code\": 971, \"message\": \"Please wait and consider"
                        + " throttling your request speed\"}], \"messages\": [], \"result\": null}")));

        long start = System.nanoTime();
        Reply reply = zoneDetails(connection, 3);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertError(reply, 429, "RATE_LIMITED");
        assertTrue(reply.headers().firstValue("retry-after").isPresent(), "Retry-After tells when to come back");
        assertTrue(millis < 4_000, "answered after " + millis + " ms for a 3 s deadline");
        int sent = cloudflare.findAll(getRequestedFor(urlPathEqualTo(ZONE_PATH))).size();
        assertTrue(sent >= 2 && sent <= 4, sent + " requests: retried after retry-after, within bounds");
    }

    @Test
    void aWriteAnswered429IsSentAgainBecauseCloudflareDidNotActOnIt() {
        String connection = connect();
        rulesetExists();
        inOrder(() -> post(RULES_PATH), "429-write", aResponse().withStatus(429)
                        .withHeader("retry-after", "1").withBody("{\"success\": false, \"errors\": [{\"code\": 971,"
                                + " \"message\": \"Please wait\"}], \"messages\": [], \"result\": null}"),
                okJson(envelope("{\"id\": \"" + RULESET + "\", \"phase\": \"http_request_firewall_custom\","
                        + " \"version\": \"4\", \"rules\": [{\"id\": \"0000111122223333444455556666aaaa\","
                        + " \"action\": \"block\", \"expression\": \"ip.src eq 198.51.100.7\", \"enabled\": true}]}")));

        Reply reply = createRule(connection, 10);

        assertEquals(200, reply.status(), reply.body());
        assertEquals("created", reply.json().at("/output/status").asText());
        cloudflare.verify(2, postRequestedFor(urlPathEqualTo(RULES_PATH)));
    }

    @Test
    void anUpstreamThatEchoesTheCredentialDoesNotGetItPassedOn() {
        String connection = connect();
        cloudflare.stubFor(get(ZONE_PATH).willReturn(aResponse().withStatus(400).withBody(
                "{\"success\": false, \"errors\": [{\"code\": 6003, \"message\": \"Invalid request headers: "
                        + "{{request.headers.Authorization}}\"}], \"messages\": [], \"result\": null}")));

        Reply reply = zoneDetails(connection, 10);

        String token = canaries.get(canaries.size() - 1);
        String echoed = cloudflare.getAllServeEvents().get(0).getResponse().getBodyAsString();
        assertTrue(echoed.contains(token), "the stub did echo the token: " + echoed);
        assertTrue(reply.status() >= 400 && reply.json().has("error"), reply.body());
        assertFalse(reply.body().contains(token), "the echoed token reached the caller: " + reply.body());
    }

    /** The ruleset a rule is added to, read before the write. */
    private static void rulesetExists() {
        cloudflare.stubFor(get(ZONE_PATH + "/rulesets/" + RULESET).willReturn(okJson(RULESET_JSON)));
    }

    private static String envelope(String result) {
        return "{\"success\": true, \"errors\": [], \"messages\": [], \"result\": " + result + "}";
    }

    /** Stubs {@code request} to answer each of {@code answers} in turn, the last one from then on. */
    private static void inOrder(Supplier<MappingBuilder> request, String scenario,
                                ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder step = request.get().inScenario(scenario).whenScenarioStateIs(state(i));
            if (i < answers.length - 1) {
                step = step.willSetStateTo(state(i + 1));
            }
            cloudflare.stubFor(step.willReturn(answers[i]));
        }
    }

    private static String state(int step) {
        return step == 0 ? Scenario.STARTED : "step-" + step;
    }

    /** A connection to the stub with a fresh canary token (its own pacer: one test's 429s hold back no other). */
    private static String connect() {
        String token = "cfcanary_" + HexFormat.of().formatHex(randomBytes());
        String id = "stub-" + canaries.size();
        canaries.add(token);
        ObjectNode connection = Json.MAPPER.createObjectNode();
        connection.put("id", id).put("type", "cloudflare");
        connection.putObject("auth").put("method", "api_token").put("token", token);
        connection.put("account_id", ACCOUNT).put("zone_id", ZONE);
        connection.putArray("permissions").add("Zone Read").add("Zone WAF Write").add("Account Settings Read");
        connection.put("base_url", cloudflare.baseUrl());
        try {
            service.runtime().connections().addRemote(connection, "test");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return id;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static Reply zoneDetails(String connection, int timeoutSeconds) {
        return execute("cloudflare_get_zone_details", connection, "{\"zone_id\": \"" + ZONE + "\"}", timeoutSeconds);
    }

    private static Reply createRule(String connection, int timeoutSeconds) {
        return execute("cloudflare_create_ruleset_rule", connection, "{\"ruleset_id\": \"" + RULESET + "\", \"rule\":"
                + " {\"action\": \"block\", \"expression\": \"ip.src eq 198.51.100.7\"}}", timeoutSeconds);
    }

    private static Reply execute(String skill, String connection, String input, int timeoutSeconds) {
        Reply reply = service.post("/api/v1/skills/" + skill + "/executions", Role.RESPONDER,
                "{\"connection\": \"" + connection + "\", \"input\": " + input + ", \"timeout_seconds\": "
                        + timeoutSeconds + "}");
        replies.add(reply);
        return reply;
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        JsonNode error = reply.json().path("error");
        assertEquals(code, error.path("code").asText(), reply.body());
    }
}

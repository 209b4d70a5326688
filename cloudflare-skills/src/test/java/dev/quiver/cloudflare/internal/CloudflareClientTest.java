package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.testkit.SkillHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.JSON;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.failure;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudflareClientTest {

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private final ObjectNode zone = JSON.createObjectNode().put("id", "z1").put("name", "example.com");

    private CloudflareClient client() {
        return new CloudflareClient(CloudflareFixtures.harness(cloudflare.baseUrl()).context());
    }

    private CloudflareClient client(Duration timeout) {
        return new CloudflareClient(CloudflareFixtures.harness(cloudflare.baseUrl()).timeout(timeout).context());
    }

    @Test
    void a429WithRetryAfterIsWaitedOutAndThenSucceeds() throws Exception {
        cloudflare.stubFor(get("/zones/z1").inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "1")
                        .withBody(failure(971, "Please wait and consider throttling your request speed")))
                .willSetStateTo("open"));
        cloudflare.stubFor(get("/zones/z1").inScenario("limit").whenScenarioStateIs("open")
                .willReturn(okJson(ok(zone))));

        long start = System.nanoTime();
        Envelope envelope = client().get("/zones/z1");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals("example.com", envelope.result().path("name").asText());
        assertTrue(waitedMillis >= 900, "waited " + waitedMillis + " ms, retry-after asked for 1 s");
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }

    @Test
    void rateLimitThatOutlastsTheDeadlineIsRateLimitedWithWhenToRetry() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(429).withHeader("retry-after", "300")
                .withBody(failure(971, "More than 1200 requests per 300 seconds reached."))));

        SkillException e = assertThrows(SkillException.class, () -> client(Duration.ofSeconds(2)).get("/zones/z1"));

        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertTrue(e.remediation().contains("300 seconds"), e.remediation());
        assertTrue(e.details().stream().anyMatch(d -> Long.valueOf(300).equals(d.get("retry_after_seconds"))),
                e.details().toString());
        cloudflare.verify(1, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }

    @Test
    void aGetIsRetriedAfterAConnectionReset() throws Exception {
        cloudflare.stubFor(get("/zones/z1").inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("healed"));
        cloudflare.stubFor(get("/zones/z1").inScenario("reset").whenScenarioStateIs("healed")
                .willReturn(okJson(ok(zone))));

        assertEquals("z1", client().get("/zones/z1").result().path("id").asText());
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }

    @Test
    void aPostIsNotRepeatedAfterAConnectionReset() {
        cloudflare.stubFor(post("/zones/z1/rulesets/r1/rules")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        SkillException e = assertThrows(SkillException.class,
                () -> client().sendJson("POST", "/zones/z1/rulesets/r1/rules", JSON.createObjectNode()));

        assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
        assertTrue(e.getMessage().contains("not repeated"), e.getMessage());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo("/zones/z1/rulesets/r1/rules")));
    }

    @Test
    void aPostIsNotRepeatedAfterA502() {
        cloudflare.stubFor(post("/zones/z1/rulesets/r1/rules")
                .willReturn(aResponse().withStatus(502).withBody(failure(10001, "bad gateway"))));

        SkillException e = assertThrows(SkillException.class,
                () -> client().sendJson("POST", "/zones/z1/rulesets/r1/rules", JSON.createObjectNode()));

        assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo("/zones/z1/rulesets/r1/rules")));
    }

    @Test
    void aPostIsRetriedOn429WhichCloudflareAnswersBeforeActing() throws Exception {
        cloudflare.stubFor(post("/zones/z1/rulesets/r1/rules").inScenario("p").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "0")
                        .withBody(failure(971, "slow down")))
                .willSetStateTo("ok"));
        cloudflare.stubFor(post("/zones/z1/rulesets/r1/rules").inScenario("p").whenScenarioStateIs("ok")
                .willReturn(okJson(ok(zone))));

        client().sendJson("POST", "/zones/z1/rulesets/r1/rules", JSON.createObjectNode());

        cloudflare.verify(2, postRequestedFor(urlPathEqualTo("/zones/z1/rulesets/r1/rules")));
    }

    @Test
    void anHtmlErrorPageIsAnUpstreamErrorNotACrash() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(502)
                .withHeader("content-type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>")));

        SkillException e = assertThrows(SkillException.class, () -> client(Duration.ofSeconds(1)).get("/zones/z1"));

        assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
        assertTrue(e.getMessage().contains("HTTP 502") && e.getMessage().contains("text/html"), e.getMessage());
    }

    @Test
    void aTruncatedAnswerToAGetIsFetchedAgain() throws Exception {
        String whole = ok(zone);
        cloudflare.stubFor(get("/zones/z1").inScenario("cut").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(whole.substring(0, whole.length() / 2))).willSetStateTo("whole"));
        cloudflare.stubFor(get("/zones/z1").inScenario("cut").whenScenarioStateIs("whole")
                .willReturn(okJson(whole)));

        assertEquals("z1", client().get("/zones/z1").result().path("id").asText());
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }

    @Test
    void aTruncatedAnswerToAPostIsNotRepeated() {
        cloudflare.stubFor(post("/zones/z1/rulesets").willReturn(okJson("{\"success\": true, \"result\": {\"id\"")));

        SkillException e = assertThrows(SkillException.class,
                () -> client().sendJson("POST", "/zones/z1/rulesets", JSON.createObjectNode()));

        assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo("/zones/z1/rulesets")));
    }

    @Test
    void a5xxBurstOnAGetIsRetriedWithinTheDeadline() throws Exception {
        cloudflare.stubFor(get("/zones/z1").inScenario("burst").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(failure(10001, "unavailable")))
                .willSetStateTo("second"));
        cloudflare.stubFor(get("/zones/z1").inScenario("burst").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500).withBody(failure(10001, "unavailable")))
                .willSetStateTo("ok"));
        cloudflare.stubFor(get("/zones/z1").inScenario("burst").whenScenarioStateIs("ok")
                .willReturn(okJson(ok(zone))));

        assertEquals("z1", client().get("/zones/z1").result().path("id").asText());
        cloudflare.verify(3, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }

    @Test
    void missingPermissionOnAGoodTokenIsPermissionDeniedWithTheHint() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(403)
                .withBody(failure(9109, "Unauthorized to access requested resource"))));
        cloudflare.stubFor(get("/user/tokens/verify").willReturn(okJson(ok(JSON.createObjectNode()
                .put("id", "t1").put("status", "active")))));

        SkillException e = assertThrows(SkillException.class, () -> client().get("/zones/z1"));

        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertTrue(e.remediation().contains("permission groups"), e.remediation());
        assertTrue(e.details().stream().anyMatch(d -> Integer.valueOf(9109).equals(d.get("cloudflare_code"))));
    }

    @Test
    void code10000WithATokenThatNoLongerVerifiesIsAuthenticationFailed() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(403)
                .withBody(failure(10000, "Authentication error"))));
        cloudflare.stubFor(get(urlPathEqualTo("/user/tokens/verify")).willReturn(aResponse().withStatus(401)
                .withBody(failure(1000, "Invalid API Token"))));
        cloudflare.stubFor(get(urlPathEqualTo("/accounts/023e105f4ecef8ad9ca31a8372d0c353/tokens/verify"))
                .willReturn(aResponse().withStatus(401).withBody(failure(1000, "Invalid API Token"))));

        SkillException e = assertThrows(SkillException.class, () -> client().get("/zones/z1"));

        assertEquals(ErrorCode.AUTHENTICATION_FAILED, e.code());
        assertTrue(e.remediation().contains("Create a new API token"), e.remediation());
    }

    @Test
    void anInvalidTokenIsAuthenticationFailed() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(400)
                .withBody(failure(6003, "Invalid request headers"))));

        SkillException e = assertThrows(SkillException.class, () -> client().get("/zones/z1"));

        assertEquals(ErrorCode.AUTHENTICATION_FAILED, e.code());
    }

    @Test
    void code7003IsNotFoundNamingThePath() {
        cloudflare.stubFor(get("/zones/example.com").willReturn(aResponse().withStatus(400).withBody(failure(7003,
                "Could not route to /zones/example.com, perhaps your object identifier is invalid?"))));

        SkillException e = assertThrows(SkillException.class, () -> client().get("/zones/example.com"));

        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("/zones/example.com"), e.getMessage());
        assertTrue(e.remediation().contains("32-character hex id"), e.remediation());
    }

    @Test
    void findTurnsA404IntoNothingButOtherFailuresStillThrow() throws Exception {
        cloudflare.stubFor(get("/zones/z1/rulesets/phases/http_request_firewall_custom/entrypoint")
                .willReturn(aResponse().withStatus(404).withBody(failure(10003,
                        "could not find entrypoint ruleset in the http_request_firewall_custom phase"))));
        cloudflare.stubFor(get("/zones/bad/rulesets/phases/http_request_firewall_custom/entrypoint")
                .willReturn(aResponse().withStatus(400).withBody(failure(7003, "Could not route"))));

        assertTrue(client().find("/zones/z1/rulesets/phases/http_request_firewall_custom/entrypoint").isEmpty());
        SkillException e = assertThrows(SkillException.class,
                () -> client().find("/zones/bad/rulesets/phases/http_request_firewall_custom/entrypoint"));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void aRateLimitMessageNamesTheQuotaTheApiAnnouncedNotTheDefault() {
        cloudflare.stubFor(get("/zones/z1").willReturn(aResponse().withStatus(429).withHeader("retry-after", "300")
                .withHeader("x-ratelimit-limit", "20")
                .withBody(failure(971, "More than 20 requests per 300 seconds reached."))));

        SkillException e = assertThrows(SkillException.class, () -> client(Duration.ofSeconds(2)).get("/zones/z1"));

        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertTrue(e.remediation().contains("20 requests per 5 minutes"), e.remediation());
        assertFalse(e.remediation().contains("1200"), e.remediation());
    }

    @Test
    void aSpentPacerRefusesBeforeSendingAnything() throws Exception {
        cloudflare.stubFor(get("/zones/z1").willReturn(okJson(ok(zone))));
        SkillContext context = CloudflareFixtures.harness(cloudflare.baseUrl()).timeout(Duration.ofSeconds(1)).context();
        RequestPacer pacer = new RequestPacer(2, Duration.ofMinutes(5));
        CloudflareClient client = new CloudflareClient(context, pacer);
        client.get("/zones/z1");
        client.get("/zones/z1");

        SkillException e = assertThrows(SkillException.class, () -> client.get("/zones/z1"));

        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertTrue(e.remediation().contains("not sent"), e.remediation());
        assertTrue(e.getMessage().contains("(2 requests per 5 minutes"), e.getMessage());
        Map<String, Object> detail = e.details().get(0);
        assertTrue(((Long) detail.get("retry_after_seconds")) > 250, detail.toString());
        cloudflare.verify(2, getRequestedFor(urlPathEqualTo("/zones/z1")));
    }
}

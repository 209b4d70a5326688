package dev.quiver.cloudflare.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.api.RequiredPermission;
import dev.quiver.testkit.SkillHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ACCOUNT;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.JSON;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ZONE;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetSecurityInsightsSkillTest {

    private static final String ACCOUNT_PATH = "/accounts/" + ACCOUNT + "/security-center/insights";
    private static final String ZONE_PATH = "/zones/" + ZONE + "/security-center/insights";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private final GetSecurityInsightsSkill skill = new GetSecurityInsightsSkill();
    private SkillHarness harness;

    @BeforeEach
    void harness() {
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
        cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH + "/severity")).willReturn(okJson(ok(severities(2, 6, 4)))));
        cloudflare.stubFor(get(urlPathEqualTo(ZONE_PATH + "/severity")).willReturn(okJson(ok(severities(1, 0, 0)))));
    }

    /** {@code result: {count, page, per_page, issues: [...]}} as the insights endpoint answers. */
    private static String insightsPage(int page, int perPage, int total, int from, int count) {
        ObjectNode result = JSON.createObjectNode().put("count", total).put("page", page).put("per_page", perPage);
        var issues = result.putArray("issues");
        for (int i = from; i < from + count; i++) {
            issues.addObject().put("id", String.format("%032x", i)).put("dismissed", false)
                    .put("has_extended_context", false).put("issue_class", "always_use_https_not_enabled")
                    .put("issue_type", "insecure_configuration").put("severity", i % 2 == 0 ? "Moderate" : "Low")
                    .put("status", "active").put("subject", "example.com").put("timestamp", "2026-11-20T00:00:00Z")
                    .putNull("user_classification")
                    .putObject("payload").put("detection_method", "scan").put("zone_tag", ZONE);
        }
        return ok(result);
    }

    private static JsonNode severities(int critical, int moderate, int low) {
        var counts = JSON.createArrayNode();
        counts.addObject().put("count", critical).put("value", "Critical");
        counts.addObject().put("count", moderate).put("value", "Moderate");
        counts.addObject().put("count", low).put("value", "Low");
        return counts;
    }

    @Test
    void everyFilterReachesItsQueryParameterAsRepeatedValues() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH)).willReturn(okJson(insightsPage(1, 5, 0, 0, 0))));

        harness.run(skill, """
                {"dismissed": false, "issue_class": ["always_use_https_not_enabled"],
                 "issue_type": ["insecure_configuration", "exposed_infrastructure"], "product": ["dns"],
                 "severity": ["critical", "moderate"], "subject": ["example.com"], "limit": 5}""");

        for (String path : List.of(ACCOUNT_PATH, ACCOUNT_PATH + "/severity")) {
            cloudflare.verify(getRequestedFor(urlPathEqualTo(path))
                    .withQueryParam("dismissed", equalTo("false"))
                    .withQueryParam("issue_class", equalTo("always_use_https_not_enabled"))
                    .withQueryParam("issue_type", havingExactly("insecure_configuration", "exposed_infrastructure"))
                    .withQueryParam("product", equalTo("dns"))
                    .withQueryParam("severity", havingExactly("critical", "moderate"))
                    .withQueryParam("subject", equalTo("example.com")));
        }
        cloudflare.verify(getRequestedFor(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("per_page", equalTo("5")));
    }

    @Test
    void pagesAreFollowedUpToTheLimitAndSeverityCountsCoverEverythingMatching() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH + "/severity")).willReturn(okJson(ok(severities(400, 1200, 800)))));
        for (int p = 1; p <= 3; p++) {
            cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("page", equalTo(String.valueOf(p)))
                    .withQueryParam("per_page", equalTo("1000"))
                    .willReturn(okJson(insightsPage(p, 1000, 2400, (p - 1) * 1000, p == 3 ? 400 : 1000))));
        }

        JsonNode output = harness.run(skill, "{\"limit\": 1500}");

        assertEquals(1500, output.path("count").asInt());
        assertEquals(String.format("%032x", 1499), output.at("/insights/1499/id").asText());
        assertEquals(2400, output.path("total_count").asInt());
        assertTrue(output.path("truncated").asBoolean());
        assertEquals(400, output.at("/severity_counts/critical").asInt());
        assertEquals(1200, output.at("/severity_counts/moderate").asInt());
        assertEquals(800, output.at("/severity_counts/low").asInt());
        cloudflare.verify(0, getRequestedFor(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("page", equalTo("3")));
    }

    @Test
    void aZoneIdUsesTheZoneEndpointAndNeedsZoneReadOnThatZone() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo(ZONE_PATH)).willReturn(okJson(insightsPage(1, 100, 1, 0, 1))));

        JsonNode output = harness.run(skill, "{\"zone_id\": \"" + ZONE + "\"}");

        assertEquals(1, output.path("count").asInt());
        assertEquals(1, output.at("/severity_counts/critical").asInt());
        ConnectionInfo connection = CloudflareFixtures.connectionInfo("c", ACCOUNT, null, "fp");
        RequiredPermission required = skill.requiredPermissions(SkillHarness.parse("{\"zone_id\": \"" + ZONE + "\"}"),
                connection).get(0);
        assertEquals(List.of("Zone Read"), required.rule().anyOf());
        assertEquals(ZONE, required.resource());
        assertEquals(List.of("Account Settings Read"),
                skill.requiredPermissions(SkillHarness.parse("{}"), connection).get(0).rule().anyOf());
    }
}

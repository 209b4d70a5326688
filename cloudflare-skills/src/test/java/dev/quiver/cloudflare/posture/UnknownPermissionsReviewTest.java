package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.JSON;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that lists no permissions: the gate cannot judge the optional ones, so the review tries every read and
 * turns Cloudflare's 403 into a skipped check naming the permission, while the checks it may make still run.
 */
class UnknownPermissionsReviewTest {

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .build();

    @Test
    void aRefusedReadIsASkippedCheckAndTheOthersStillRun() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo("/zones/" + ZONE)).willReturn(okJson(CloudflareFixtures.ok(
                JSON.createObjectNode().put("id", ZONE).put("name", "example.com")))));
        cloudflare.stubFor(get(urlPathMatching("/zones/" + ZONE + "/rulesets/phases/.*/entrypoint")).willReturn(
                aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(CloudflareFixtures.failure(10000, "Authentication error"))));
        cloudflare.stubFor(get(urlPathEqualTo("/user/tokens/verify")).willReturn(okJson(CloudflareFixtures.ok(
                JSON.createObjectNode().put("id", "ed17574386854bf78a67040be0a770b0").put("status", "active")))));
        cloudflare.stubFor(get(urlPathEqualTo("/zones/" + ZONE + "/settings")).willReturn(okJson(CloudflareFixtures.ok(
                CloudflareFixtures.array(JSON.createObjectNode().put("id", "ssl").put("value", "flexible"),
                        JSON.createObjectNode().put("id", "min_tls_version").put("value", "1.2"),
                        JSON.createObjectNode().put("id", "always_use_https").put("value", "on"))))));
        cloudflare.stubFor(get(urlPathEqualTo("/zones/" + ZONE + "/dns_records")).willReturn(okJson(
                CloudflareFixtures.page(List.of(JSON.createObjectNode().put("type", "TXT").put("name", "example.com")
                        .put("content", "\"v=spf1 -all\"").put("zone_name", "example.com")), 1, 500, 1))));
        cloudflare.stubFor(get(urlPathEqualTo("/zones/" + ZONE + "/workers/routes")).willReturn(okJson(
                CloudflareFixtures.ok(JSON.createArrayNode()))));

        JsonNode output = CloudflareFixtures.harness(cloudflare.baseUrl())
                .run(new ReviewSecurityPostureSkill(), "{\"zones\": [\"" + ZONE + "\"]}");

        JsonNode zone = output.at("/zones/0");
        Set<String> skipped = new TreeSet<>();
        zone.path("skipped").forEach(s -> {
            skipped.add(s.path("check").asText());
            assertEquals("Zone WAF Read", s.path("permission").asText());
            assertTrue(s.path("reason").asText().startsWith("Cloudflare refused"), s.toString());
        });
        assertEquals(new TreeSet<>(Set.of("waf_enabled", "login_rate_limited:/login", "login_rate_limited:/signin",
                "login_rate_limited:/auth", "login_rate_limited:/wp-login.php")), skipped);
        Set<String> findings = new TreeSet<>();
        zone.path("findings").forEach(f -> findings.add(f.path("id").asText()));
        // hsts: Cloudflare returned no security_header, which is "unknown", not a finding.
        assertEquals(new TreeSet<>(Set.of("ssl_flexible", "dmarc_missing")), findings);
    }
}

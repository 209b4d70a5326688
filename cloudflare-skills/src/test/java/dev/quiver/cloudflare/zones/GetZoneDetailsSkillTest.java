package dev.quiver.cloudflare.zones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.testkit.SkillHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ACCOUNT;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.JSON;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetZoneDetailsSkillTest {

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private final GetZoneDetailsSkill skill = new GetZoneDetailsSkill();
    private SkillHarness harness;

    @BeforeEach
    void harness() {
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
    }

    private static List<ObjectNode> zones(int from, int count) {
        List<ObjectNode> zones = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ObjectNode zone = JSON.createObjectNode().put("id", String.format("%032x", i))
                    .put("name", "zone" + i + ".example.com").put("status", "active").put("paused", false)
                    .put("type", "full").put("development_mode", 0);
            zone.putObject("account").put("id", ACCOUNT).put("name", "Example Account");
            zones.add(zone);
        }
        return zones;
    }

    @Test
    void filtersReachTheirQueryParametersAndPagesStopAtFifty() throws Exception {
        for (int p = 1; p <= 3; p++) {
            cloudflare.stubFor(get(urlPathEqualTo("/zones")).withQueryParam("page", equalTo(String.valueOf(p)))
                    .willReturn(okJson(page(zones((p - 1) * 50, p == 3 ? 20 : 50), p, 50, 120))));
        }

        JsonNode all = harness.run(skill, "{\"name\": \"contains:example\", \"status\": \"active\", \"account_id\": \""
                + ACCOUNT + "\", \"account_name\": \"Example Account\", \"limit\": 1000}");

        assertEquals(120, all.path("count").asInt());
        assertFalse(all.path("truncated").asBoolean());
        cloudflare.verify(3, getRequestedFor(urlPathEqualTo("/zones"))
                .withQueryParam("name", equalTo("contains:example"))
                .withQueryParam("status", equalTo("active"))
                .withQueryParam("account.id", equalTo(ACCOUNT))
                .withQueryParam("account.name", equalTo("Example Account"))
                .withQueryParam("per_page", equalTo("50")));
    }

    @Test
    void aLimitBelowTheTotalIsTruncated() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo("/zones")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(page(zones(0, 10), 1, 10, 120))));

        JsonNode output = harness.run(skill, "{\"status\": \"active\", \"limit\": 10}");

        assertEquals(10, output.path("count").asInt());
        assertTrue(output.path("truncated").asBoolean());
        cloudflare.verify(1, getRequestedFor(urlPathEqualTo("/zones")));
    }
}

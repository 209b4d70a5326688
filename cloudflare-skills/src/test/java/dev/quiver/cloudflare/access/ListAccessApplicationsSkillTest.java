package dev.quiver.cloudflare.access;

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
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ZONE;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListAccessApplicationsSkillTest {

    private static final String ACCOUNT_PATH = "/accounts/" + ACCOUNT + "/access/apps";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private final ListAccessApplicationsSkill skill = new ListAccessApplicationsSkill();
    private SkillHarness harness;

    @BeforeEach
    void harness() {
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
    }

    private static List<ObjectNode> apps(int from, int count) {
        List<ObjectNode> apps = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ObjectNode app = JSON.createObjectNode()
                    .put("id", String.format("023e105f-4ece-f8ad-9ca3-%012d", i))
                    .put("name", "App " + i).put("type", "self_hosted").put("domain", "app" + i + ".example.com")
                    .put("aud", String.format("%064x", i)).put("session_duration", "24h")
                    .put("app_launcher_visible", true).put("created_at", "2026-01-01T00:00:00Z")
                    .put("updated_at", "2026-06-01T00:00:00Z");
            app.putArray("destinations").addObject().put("type", "public").put("uri", "app" + i + ".example.com");
            app.putArray("allowed_idps");
            app.putArray("policies");
            apps.add(app);
        }
        return apps;
    }

    @Test
    void everyFilterReachesItsQueryParameter() throws Exception {
        cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH)).willReturn(okJson(page(apps(0, 1), 1, 10, 1))));

        harness.run(skill, """
                {"name": "App 0", "domain": "app0.example.com", "aud": "abc", "search": "app", "exact": true,
                 "limit": 10}""");

        cloudflare.verify(getRequestedFor(urlPathEqualTo(ACCOUNT_PATH))
                .withQueryParam("name", equalTo("App 0"))
                .withQueryParam("domain", equalTo("app0.example.com"))
                .withQueryParam("aud", equalTo("abc"))
                .withQueryParam("search", equalTo("app"))
                .withQueryParam("exact", equalTo("true"))
                .withQueryParam("page", equalTo("1"))
                .withQueryParam("per_page", equalTo("10")));
    }

    @Test
    void pagesOfTheMaximumSizeAreFollowedUntilTheLastOne() throws Exception {
        for (int p = 1; p <= 3; p++) {
            cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("page", equalTo(String.valueOf(p)))
                    .withQueryParam("per_page", equalTo("1000"))
                    .willReturn(okJson(page(apps((p - 1) * 1000, p == 3 ? 300 : 1000), p, 1000, 2300))));
        }

        JsonNode all = harness.run(skill, "{\"limit\": 5000}");

        assertEquals(2300, all.path("count").asInt());
        assertEquals("App 2299", all.at("/applications/2299/name").asText());
        assertFalse(all.path("truncated").asBoolean());
        cloudflare.verify(3, getRequestedFor(urlPathEqualTo(ACCOUNT_PATH)));
    }

    @Test
    void theLimitStopsThePagingEarly() throws Exception {
        for (int p = 1; p <= 3; p++) {
            cloudflare.stubFor(get(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("page", equalTo(String.valueOf(p)))
                    .willReturn(okJson(page(apps((p - 1) * 1000, p == 3 ? 300 : 1000), p, 1000, 2300))));
        }

        JsonNode output = harness.run(skill, "{\"limit\": 1500}");

        assertEquals(1500, output.path("count").asInt());
        assertTrue(output.path("truncated").asBoolean());
        cloudflare.verify(0, getRequestedFor(urlPathEqualTo(ACCOUNT_PATH)).withQueryParam("page", equalTo("3")));
    }

    @Test
    void aZoneIdListsTheZonesApplications() throws Exception {
        String zonePath = "/zones/" + ZONE + "/access/apps";
        cloudflare.stubFor(get(urlPathEqualTo(zonePath)).willReturn(okJson(page(apps(0, 2), 1, 100, 2))));

        JsonNode output = harness.run(skill, "{\"zone_id\": \"" + ZONE + "\"}");

        assertEquals(2, output.path("count").asInt());
        assertEquals("App 1", output.at("/applications/1/name").asText());
        cloudflare.verify(1, getRequestedFor(urlPathEqualTo(zonePath)));
    }
}

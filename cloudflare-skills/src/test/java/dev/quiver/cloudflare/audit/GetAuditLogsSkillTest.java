package dev.quiver.cloudflare.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.testing.AuditLogFeed;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.testkit.SkillHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ACCOUNT;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.auditEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetAuditLogsSkillTest {

    private static final String PATH = "/accounts/" + ACCOUNT + "/audit_logs";
    private static final AuditLogFeed FEED = new AuditLogFeed();

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(FEED)).build();

    private final GetAuditLogsSkill skill = new GetAuditLogsSkill();
    private SkillHarness harness;

    @BeforeEach
    void feed() {
        FEED.clear();
        cloudflare.stubFor(get(urlPathMatching("/accounts/[0-9a-f]{32}/audit_logs"))
                .willReturn(aResponse().withTransformers(AuditLogFeed.NAME)));
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
    }

    /** {@code count} entries, one a minute, ending an hour ago. */
    private static void seed(int count) {
        Instant last = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
        for (int i = 0; i < count; i++) {
            FEED.add(auditEntry(String.format("e%05d", i), last.minusSeconds(60L * (count - 1 - i)).toString(),
                    "alice@example.com", "198.51.100.7", "change_setting", "example.com"));
        }
    }

    @Test
    void everyFilterReachesItsQueryParameter() throws Exception {
        harness.run(skill, """
                {"actor_email": "alice@example.com", "actor_ip": "198.51.100.0/24", "action_type": "delete",
                 "zone_name": "example.com", "since": "2026-11-01", "before": "2026-11-20T10:00:00Z",
                 "direction": "asc", "hide_user_logs": true, "limit": 40}""");

        cloudflare.verify(getRequestedFor(urlPathEqualTo(PATH))
                .withQueryParam("actor.email", equalTo("alice@example.com"))
                .withQueryParam("actor.ip", equalTo("198.51.100.0/24"))
                .withQueryParam("action.type", equalTo("delete"))
                .withQueryParam("zone.name", equalTo("example.com"))
                .withQueryParam("since", equalTo("2026-11-01"))
                .withQueryParam("before", equalTo("2026-11-20T10:00:00Z"))
                .withQueryParam("direction", equalTo("asc"))
                .withQueryParam("hide_user_logs", equalTo("true"))
                .withQueryParam("page", equalTo("1"))
                .withQueryParam("per_page", equalTo("40")));
    }

    @Test
    void theAccountDefaultsToTheConnectionsAndAnotherAccountIsRefusedBeforeAnyRequest() throws Exception {
        harness.run(skill, "{}");
        cloudflare.verify(getRequestedFor(urlPathEqualTo(PATH)));

        var refused = harness.execute(skill, "{\"account_id\": \"0000000000000000000000000000000a\"}");
        assertEquals("PERMISSION_DENIED", refused.code());
        assertEquals("the connection is for account " + CloudflareFixtures.ACCOUNT + ", not"
                + " 0000000000000000000000000000000a", refused.missing().get(0).reason());
        assertEquals(0, refused.requestsSent());
        cloudflare.verify(0, getRequestedFor(urlPathEqualTo("/accounts/0000000000000000000000000000000a/audit_logs")));
    }

    @Test
    void pagesAreFetchedUntilTheLimitAndNoFurther() throws Exception {
        seed(2500);

        JsonNode output = harness.run(skill, "{\"limit\": 2200}");

        assertEquals(2200, output.path("count").asInt());
        assertTrue(output.path("truncated").asBoolean());
        assertEquals("e02499", output.at("/entries/0/id").asText(), "newest first");
        cloudflare.verify(3, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("per_page", equalTo("1000")));
        cloudflare.verify(0, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("4")));
    }

    @Test
    void theCursorContinuesWithoutDuplicatesOrGapsUntilNothingIsLeft() throws Exception {
        seed(7);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int calls = 0;
        do {
            JsonNode output = harness.run(skill, cursor == null ? "{\"limit\": 3}"
                    : "{\"limit\": 3, \"cursor\": \"" + cursor + "\"}");
            output.path("entries").forEach(entry -> ids.add(entry.path("id").asText()));
            cursor = output.path("next_cursor").isNull() ? null : output.path("next_cursor").asText();
            calls++;
        } while (cursor != null);

        assertEquals(List.of("e00006", "e00005", "e00004", "e00003", "e00002", "e00001", "e00000"), ids);
        assertEquals(3, calls);
    }

    @Test
    void aNewestFirstCursorReadsTheListAsItWasDespiteNewEntries() throws Exception {
        seed(6);
        JsonNode first = harness.run(skill, "{\"limit\": 3}");
        // logged after the first call: on a live list it would push every entry one place down the pages
        FEED.add(auditEntry("newer", Instant.now().plusSeconds(1).toString(),
                "bob@example.com", "203.0.113.9", "login", null));

        JsonNode second = harness.run(skill, "{\"limit\": 3, \"cursor\": \"" + first.path("next_cursor").asText() + "\"}");

        Set<String> seen = new HashSet<>();
        first.path("entries").forEach(entry -> seen.add(entry.path("id").asText()));
        second.path("entries").forEach(entry -> assertTrue(seen.add(entry.path("id").asText()), "duplicate " + entry));
        assertEquals(Set.of("e00000", "e00001", "e00002", "e00003", "e00004", "e00005"), seen);
    }

    @Test
    void aCursorFromOtherFiltersIsInvalidInput() throws Exception {
        seed(5);
        String cursor = harness.run(skill, "{\"limit\": 2}").path("next_cursor").asText();

        SkillException e = assertThrows(SkillException.class, () -> harness.run(skill,
                "{\"limit\": 2, \"actor_email\": \"bob@example.com\", \"cursor\": \"" + cursor + "\"}"));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().startsWith("/cursor"), e.getMessage());
    }

    @Test
    void aCursorThatIsNotOneIsInvalidInput() {
        SkillException e = assertThrows(SkillException.class, () -> harness.run(skill, "{\"cursor\": \"%%%\"}"));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
    }

    @Test
    void anEmptyLogIsAnEmptyResultWithoutACursor() throws Exception {
        JsonNode output = harness.run(skill, "{}");

        assertEquals(0, output.path("count").asInt());
        assertFalse(output.path("truncated").asBoolean());
        assertTrue(output.path("next_cursor").isNull());
    }
}

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
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ACCOUNT;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.auditEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetAuditLogsForDetectionsSkillTest {

    private static final String PATH = "/accounts/" + ACCOUNT + "/audit_logs";
    private static final AuditLogFeed FEED = new AuditLogFeed();

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(FEED)).build();

    private final GetAuditLogsForDetectionsSkill skill = new GetAuditLogsForDetectionsSkill();
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(2, ChronoUnit.HOURS);
    private SkillHarness harness;

    @BeforeEach
    void feed() {
        FEED.clear();
        cloudflare.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withTransformers(AuditLogFeed.NAME)));
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
    }

    private void event(String id, long secondsAfterBase, String zone) {
        FEED.add(auditEntry(id, base.plusSeconds(secondsAfterBase).toString(), "alice@example.com", "198.51.100.7",
                "delete", zone));
    }

    private JsonNode poll(String checkpoint, int limit) throws SkillException {
        String since = base.minusSeconds(60).toString();
        return harness.run(skill, checkpoint == null
                ? "{\"since\": \"" + since + "\", \"limit\": " + limit + "}"
                : "{\"checkpoint\": \"" + checkpoint + "\", \"limit\": " + limit + "}");
    }

    private static List<String> ids(JsonNode output) {
        List<String> ids = new ArrayList<>();
        output.path("events").forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void threePollsWithTiedTimestampsYieldEveryEventOnceInTimeOrder() throws Exception {
        event("a1", 0, "example.com");
        event("b1", 10, "example.com");
        event("b2", 10, "example.com");
        event("b3", 10, "example.com");
        event("c1", 20, "example.com");
        event("c2", 20, "example.com");
        event("d1", 30, "example.com");

        JsonNode first = poll(null, 3);          // a1 and two of the three b's: the limit cuts the tie
        JsonNode second = poll(first.path("checkpoint").asText(), 3);
        event("d2", 30, "example.com");          // tied with d1, logged between polls
        event("e1", 40, "example.com");
        JsonNode third = poll(second.path("checkpoint").asText(), 100);
        JsonNode fourth = poll(third.path("checkpoint").asText(), 100);

        List<String> all = new ArrayList<>();
        all.addAll(ids(first));
        all.addAll(ids(second));
        all.addAll(ids(third));
        assertEquals(3, ids(first).size());
        assertTrue(first.path("more").asBoolean());
        assertTrue(second.path("more").asBoolean());
        assertFalse(third.path("more").asBoolean());
        assertEquals(List.of("a1", "b1", "b2", "b3", "c1", "c2", "d1", "d2", "e1"), all.stream().sorted().toList(),
                "every event exactly once");
        assertEquals(List.of(), ids(fourth), "nothing new, nothing repeated");

        List<Instant> times = new ArrayList<>();
        for (JsonNode output : List.of(first, second, third)) {
            output.path("events").forEach(event -> times.add(Instant.parse(event.path("time").asText())));
        }
        assertEquals(times.stream().sorted().toList(), times, "oldest first across polls");

        // logged after the fourth poll's watermark (now minus settle_seconds)
        FEED.add(auditEntry("f1", Instant.now().minusSeconds(30).toString(), "alice@example.com", "198.51.100.7",
                "delete", "example.com"));
        assertEquals(List.of("f1"), ids(harness.run(skill,
                "{\"checkpoint\": \"" + fourth.path("checkpoint").asText() + "\", \"settle_seconds\": 0}")));
    }

    @Test
    void eventsAreNormalized() throws Exception {
        event("a1", 0, "example.com");

        JsonNode event = poll(null, 10).at("/events/0");

        assertEquals("a1", event.path("id").asText());
        assertEquals(base.toString(), event.path("time").asText());
        assertEquals("alice@example.com", event.at("/actor/email").asText());
        assertEquals("198.51.100.7", event.path("ip").asText());
        assertEquals("delete", event.path("action").asText());
        assertEquals("success", event.path("result").asText());
        assertEquals("zone", event.at("/resource/type").asText());
        assertEquals("example.com", event.path("zone").asText());
        assertEquals("high", event.path("old_value").asText());
        assertEquals("low", event.path("new_value").asText());
    }

    @Test
    void severalZonesAreMergedInTimeOrderAndOtherZonesLeftOut() throws Exception {
        event("a", 0, "a.example");
        event("b", 5, "b.example");
        event("c", 7, "c.example");
        event("a2", 9, "a.example");

        JsonNode output = harness.run(skill, "{\"since\": \"" + base.minusSeconds(60)
                + "\", \"zones\": [\"a.example\", \"b.example\"], \"actor_email\": \"alice@example.com\"}");

        assertEquals(List.of("a", "b", "a2"), ids(output));
        cloudflare.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("zone.name", equalTo("a.example"))
                .withQueryParam("direction", equalTo("asc"))
                .withQueryParam("actor.email", equalTo("alice@example.com")));
        cloudflare.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("zone.name", equalTo("b.example")));
    }

    @Test
    void eventsYoungerThanTheSettleTimeWaitForTheNextPoll() throws Exception {
        FEED.add(auditEntry("fresh", Instant.now().minusSeconds(10).toString(), "alice@example.com", "198.51.100.7",
                "delete", null));

        JsonNode output = harness.run(skill, "{\"settle_seconds\": 60}");

        assertEquals(List.of(), ids(output));
        assertEquals(List.of("fresh"), ids(harness.run(skill,
                "{\"settle_seconds\": 0, \"since\": \"" + base + "\"}")));
    }

    @Test
    void aCheckpointFromOtherFiltersIsInvalidInput() throws Exception {
        String checkpoint = poll(null, 10).path("checkpoint").asText();

        SkillException e = assertThrows(SkillException.class, () -> harness.run(skill,
                "{\"checkpoint\": \"" + checkpoint + "\", \"zones\": [\"example.com\"]}"));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
    }
}

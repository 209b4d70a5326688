package dev.quiver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudflareSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CloudflareSandbox sandbox;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sandbox = CloudflareSandbox.start(0);
        token = sandbox.connection().at("/auth/token").asText();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private record Answer(int status, JsonNode body, String ray) {
    }

    private static Answer get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()),
                response.headers().firstValue("cf-ray").orElse(null));
    }

    private static Answer get(String path) throws Exception {
        return get(path, "Bearer " + token);
    }

    private static int firstCode(Answer answer) {
        return answer.body().at("/errors/0/code").asInt();
    }

    @Test
    void answersWithTheEnvelopeAndARayId() throws Exception {
        Answer zones = get("/zones");

        assertEquals(200, zones.status());
        assertTrue(zones.body().path("success").asBoolean());
        assertTrue(zones.body().path("errors").isArray() && zones.body().path("messages").isArray());
        assertEquals(4, zones.body().at("/result_info/total_count").asInt());
        assertTrue(zones.ray() != null && zones.ray().endsWith("-SBX"));
    }

    @Test
    void refusesRequestsWithoutOrWithAWrongCredentialAsCloudflareDoes() throws Exception {
        assertEquals(9106, firstCode(get("/zones", null)));
        Answer wrong = get("/zones", "Bearer sbx_not_the_token_at_all");
        assertEquals(403, wrong.status());
        assertEquals(10000, firstCode(wrong));
        assertFalse(wrong.body().path("success").asBoolean());
        assertEquals(1000, firstCode(get("/user/tokens/verify", "Bearer sbx_not_the_token_at_all")));
        assertEquals(6003, firstCode(get("/zones", "Basic abc")));
    }

    @Test
    void badIdsAndRoutesGetCloudflaresCodes() throws Exception {
        assertEquals(7003, firstCode(get("/zones/example.com")));
        assertEquals(9109, firstCode(get("/zones/00000000000000000000000000000000")));
        assertEquals(9109, firstCode(get("/accounts/00000000000000000000000000000000/audit_logs")));
        assertEquals(7000, firstCode(get("/nothing/here")));
        assertEquals(400, get("/zones?per_page=1000").status(), "GET /zones allows at most 50 per page");
    }

    @Test
    void holdsAtLeast5000AuditEntriesOver30DaysFromSeveralActors() throws Exception {
        String path = "/accounts/" + SandboxWorld.ACCOUNT_ID + "/audit_logs?per_page=1000&direction=asc&page=";
        Set<String> actors = new HashSet<>();
        Set<String> ips = new HashSet<>();
        Instant first = null;
        Instant last = null;
        int total = 0;
        for (int page = 1; ; page++) {
            JsonNode result = get(path + page).body().path("result");
            for (JsonNode entry : result) {
                actors.add(entry.at("/actor/email").asText());
                ips.add(entry.at("/actor/ip").asText());
                Instant when = Instant.parse(entry.path("when").asText());
                first = first == null ? when : first;
                last = when;
                total++;
            }
            if (result.size() < 1000) {
                break;
            }
        }
        assertTrue(total >= 5000, total + " entries");
        assertTrue(Duration.between(first, last).toDays() >= 29, first + " .. " + last);
        assertTrue(actors.size() >= 5 && ips.size() >= 5, actors + " " + ips);
    }

    @Test
    void filtersAuditLogsByCidrAndActor() throws Exception {
        JsonNode result = get("/accounts/" + SandboxWorld.ACCOUNT_ID
                + "/audit_logs?actor.ip=185.220.101.0/24&action.type=delete").body().path("result");

        assertEquals(1, result.size());
        assertEquals("mallory@example.com", result.at("/0/actor/email").asText());
    }

    @Test
    void zonesAreOnDifferentPlans() throws Exception {
        Set<String> plans = new HashSet<>();
        get("/zones").body().path("result").forEach(zone -> plans.add(zone.at("/plan/legacy_id").asText()));
        assertEquals(Set.of("free", "pro", "business", "enterprise"), plans);
    }

    @Test
    void aMissingEntrypointIs404With10003() throws Exception {
        String zone = sandbox.connection().path("zone_id").asText();
        Answer answer = get("/zones/" + zone + "/rulesets/phases/http_request_late_transform/entrypoint");
        assertEquals(404, answer.status());
        assertEquals(10003, firstCode(answer));
    }

    @Test
    void overItsQuotaItAnswers429WithRetryAfterAndLocksEveryRequestOut() throws Exception {
        try (CloudflareSandbox limited = CloudflareSandbox.start(0, new RateLimit(3, Duration.ofSeconds(60)))) {
            String auth = "Bearer " + limited.connection().at("/auth/token").asText();
            HttpRequest.Builder verify = HttpRequest.newBuilder(
                    URI.create(limited.baseUrl() + "/user/tokens/verify")).header("Authorization", auth);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = HTTP.send(verify.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                assertEquals("3", ok.headers().firstValue("x-ratelimit-limit").orElseThrow());
                assertEquals(Integer.toString(2 - i), ok.headers().firstValue("x-ratelimit-remaining").orElseThrow());
            }

            HttpResponse<String> refused = HTTP.send(verify.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode());
            assertEquals("60", refused.headers().firstValue("retry-after").orElseThrow());
            assertTrue(JSON.readTree(refused.body()).at("/errors/0/message").asText()
                    .startsWith("More than 3 requests per 60 seconds reached"));
            assertEquals(429, HTTP.send(verify.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(2, limited.rateLimitedCount());
        }
    }
}

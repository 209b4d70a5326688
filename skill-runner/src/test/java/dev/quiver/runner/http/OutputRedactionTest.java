package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.SecretLeaks;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §2 item 2: an upstream echoing the request's credential headers in a 2xx answer reached the analyst as
 * skill output, because only failures were redacted. A WireMock Cloudflare echoes them into a string and a key.
 */
class OutputRedactionTest {

    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
    private static final String ZONE = "fedcba9876543210fedcba9876543210";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().globalTemplating(true)).build();

    @TempDir
    Path dir;

    @Test
    void credentialsEchoedInASuccessfulAnswerReachNoCallerRecordOrLog() throws Exception {
        cloudflare.stubFor(get("/zones/" + ZONE).willReturn(okJson("{\"success\": true, \"errors\": [],"
                + " \"messages\": [], \"result\": {\"id\": \"" + ZONE + "\", \"status\": \"active\","
                + " \"name\": \"seen {{request.headers.Authorization}} / {{request.headers.X-Auth-Key}}"
                + " / {{request.headers.X-Auth-Email}}\", \"paused\": false,"
                + " \"meta\": {\"{{request.headers.Authorization}}{{request.headers.X-Auth-Key}}\": true}}}")
                // The request id header too: Quiver passes it on as request_ids, to callers and into the records.
                .withHeader("cf-ray", "ray-{{request.headers.Authorization}}{{request.headers.X-Auth-Key}}")));
        String token = "cfcanary_token_" + Long.toHexString(System.nanoTime());
        String key = "cfcanary_key_" + Long.toHexString(System.nanoTime());
        String email = "canary." + Long.toHexString(System.nanoTime()) + "@example.com";
        List<Reply> replies = new ArrayList<>();
        SecretLeaks leaks = SecretLeaks.capturingLogs();
        Path home;
        try (Service service = Service.start(dir)) {
            home = service.home();
            add(service, "echo-token", Json.MAPPER.createObjectNode().put("method", "api_token").put("token", token));
            add(service, "echo-global", Json.MAPPER.createObjectNode().put("method", "global_api_key")
                    .put("email", email).put("key", key));

            for (String connection : List.of("echo-token", "echo-global")) {
                Reply reply = service.post("/api/v1/skills/cloudflare_get_zone_details/executions", Role.ANALYST,
                        "{\"connection\": \"" + connection + "\", \"input\": {\"zone_id\": \"" + ZONE + "\"}}");
                replies.add(reply);
                assertEquals(200, reply.status(), reply.body());
                replies.add(service.get("/api/v1/executions/" + reply.json().path("execution_id").asText(),
                        Role.VIEWER));
                assertTrue(reply.body().contains("[redacted]"), "the echo was there to redact: " + reply.body());
            }
            String echoed = cloudflare.getAllServeEvents().get(0).getResponse().getBodyAsString()
                    + cloudflare.getAllServeEvents().get(1).getResponse().getBodyAsString();
            assertTrue(echoed.contains(token) && echoed.contains(key) && echoed.contains(email),
                    "the stub did echo the credentials: " + echoed);
            replies.add(service.get("/api/v1/executions?limit=1000", Role.VIEWER));
        } finally {
            leaks.close();
        }
        leaks.assertAbsent(List.of(token, key, email), replies, home);
        assertTrue(leaks.logEvents() > 0, "the logs were captured");
    }

    private static void add(Service service, String id, ObjectNode auth) {
        ObjectNode connection = Json.MAPPER.createObjectNode();
        connection.put("id", id).put("type", "cloudflare");
        connection.set("auth", auth);
        connection.put("account_id", ACCOUNT).put("zone_id", ZONE);
        connection.putArray("permissions").add("Zone Read");
        connection.put("base_url", cloudflare.baseUrl());
        Reply added = service.post("/api/v1/connections", Role.ADMIN, connection.toString());
        assertEquals(201, added.status(), added.body());
    }
}

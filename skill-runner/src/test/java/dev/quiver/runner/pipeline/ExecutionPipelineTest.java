package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.SkillException;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.transport.TransportFactory;
import dev.quiver.runner.view.ContractJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.runner.testing.TestSkills.OTHER_ZONE;
import static dev.quiver.runner.testing.TestSkills.catalog;
import static dev.quiver.runner.testing.TestSkills.connection;
import static dev.quiver.runner.testing.TestSkills.json;
import static dev.quiver.runner.testing.TestSkills.skill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionPipelineTest {

    private static final String TOKEN = "canary-token-5d41402abc4b2a76";

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TransportFactory transports = new TransportFactory();
    private ExecutionPipeline pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        transports.close();
    }

    private static final dev.quiver.api.Skill CALLS_API = skill("acme_zone", (input, ctx) -> {
        HttpResponse response = ctx.http().send(HttpRequest.get("/zones/" + input.path("zone_id").asText("z")));
        return json("{\"ok\": " + (response.status() == 200) + "}");
    });

    private ExecutionResult run(SkillCatalog catalog, Connection connection, String skill, String input,
                                Duration timeout) {
        pipeline = new ExecutionPipeline(() -> catalog, (ref, caller) -> connection, transports, List.of());
        return pipeline.execute(new ExecutionRequest(skill, connection.id(), json(input), false, timeout));
    }

    private Connection connectionWith(List<String> permissions, List<String> zones) {
        return connection(api.baseUrl() + "/v1", TOKEN, permissions, zones);
    }

    @Test
    void awaitIdleWaitsForRunningExecutionsAndSaysWhenTheyOutlastTheGrace() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        dev.quiver.api.Skill slow = skill("acme_slow", (input, ctx) -> {
            started.countDown();
            Thread.sleep(600);
            return json("{\"ok\": true}");
        });
        SkillCatalog catalog = catalog(slow);
        Connection connection = connectionWith(List.of("Zone Read"), List.of());
        List<ExecutionResult> observed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        pipeline = new ExecutionPipeline(() -> catalog, (ref, caller) -> connection, transports,
                List.of((request, result) -> observed.add(result)));
        Thread caller = new Thread(() -> pipeline.execute(new ExecutionRequest("acme_slow", connection.id(),
                json("{}"), false, Duration.ofSeconds(10))));
        caller.start();
        started.await();

        assertFalse(pipeline.awaitIdle(Duration.ofMillis(50)), "still running after 50 ms");
        assertTrue(pipeline.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(1, observed.size(), "finished and observed (recorded) before idle");
        assertTrue(observed.get(0).succeeded());
        assertTrue(pipeline.awaitIdle(Duration.ofMillis(10)), "idle at once when nothing runs");
        caller.join();
    }

    @Test
    void runsTheSkillWithTheCredentialAndRecordsRequestIds() {
        api.stubFor(get("/v1/zones/z").willReturn(aResponse().withStatus(200).withHeader("x-request-id", "8f1-IAD")
                .withBody("{}")));
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of("Zone Read"), List.of()),
                "acme_zone", "{}", Duration.ofSeconds(10));
        assertTrue(result.succeeded(), String.valueOf(result.failure()));
        assertEquals(json("{\"ok\":true}"), result.output());
        assertEquals(List.of("8f1-IAD"), result.requestIds());
        api.verify(getRequestedFor(urlEqualTo("/v1/zones/z")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void invalidInputFailsWithPointersAndSendsNothing() {
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of("Zone Read"), List.of()),
                "acme_zone", "{\"n\": 0, \"extra\": 1}", Duration.ofSeconds(10));
        assertEquals(ErrorCode.INVALID_INPUT, result.failure().code());
        List<Object> pointers = result.failure().details().stream().map(d -> d.get("pointer")).toList();
        assertTrue(pointers.contains("/n"), pointers.toString());
        assertEquals(0, result.requestsSent());
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void missingPermissionIsDeniedBeforeAnyRequest() {
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of("Zone WAF Read"), List.of()),
                "acme_zone", "{}", Duration.ofSeconds(10));
        assertEquals(ErrorCode.PERMISSION_DENIED, result.failure().code());
        assertEquals("Zone Read", result.failure().missing().get(0).permission());
        assertTrue(result.failure().remediation().contains("Zone Read"));
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void zoneOutsideTheAllowListIsDeniedBeforeAnyRequest() {
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of("Zone Read"),
                List.of(dev.quiver.runner.testing.TestSkills.ZONE)), "acme_zone",
                "{\"zone_id\": \"" + OTHER_ZONE + "\"}", Duration.ofSeconds(10));
        assertEquals(ErrorCode.PERMISSION_DENIED, result.failure().code());
        assertEquals(OTHER_ZONE, result.failure().missing().get(0).resource());
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownSkillIsAnUnknownSkillFailure() {
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of(), List.of()), "acme_nothing", "{}",
                Duration.ofSeconds(10));
        assertEquals(ErrorCode.UNKNOWN_SKILL, result.failure().code());
    }

    @Test
    void skillPastItsDeadlineTimesOut() {
        dev.quiver.api.Skill hangs = skill("acme_hang", (input, ctx) -> {
            Thread.sleep(30_000);
            return json("{\"ok\":true}");
        });
        long start = System.nanoTime();
        ExecutionResult result = run(catalog(hangs), connectionWith(List.of("Zone Read"), List.of()), "acme_hang",
                "{}", Duration.ofMillis(300));
        assertEquals(ErrorCode.TIMEOUT, result.failure().code());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
    }

    @Test
    void slowUpstreamIsCutAtTheDeadline() {
        api.stubFor(get("/v1/zones/z").willReturn(aResponse().withFixedDelay(5_000).withBody("{}")));
        long start = System.nanoTime();
        ExecutionResult result = run(catalog(CALLS_API), connectionWith(List.of("Zone Read"), List.of()),
                "acme_zone", "{}", Duration.ofMillis(500));
        assertEquals(ErrorCode.TIMEOUT, result.failure().code());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000);
    }

    @Test
    void exceptionFromTheSkillIsAPluginFault() {
        ExecutionResult result = run(catalog(skill("acme_boom", (input, ctx) -> {
            throw new IllegalStateException("boom");
        })), connectionWith(List.of("Zone Read"), List.of()), "acme_boom", "{}", Duration.ofSeconds(5));
        assertEquals(ErrorCode.PLUGIN_FAULT, result.failure().code());
        assertTrue(result.failure().message().contains("boom"));
    }

    @Test
    void outputBreakingItsSchemaIsAPluginFaultAndIsDiscarded() {
        ExecutionResult result = run(catalog(skill("acme_liar", (input, ctx) -> json("{\"ok\": \"yes\"}"))),
                connectionWith(List.of("Zone Read"), List.of()), "acme_liar", "{}", Duration.ofSeconds(5));
        assertEquals(ErrorCode.PLUGIN_FAULT, result.failure().code());
        assertEquals("/ok", result.failure().details().get(0).get("pointer"));
        assertNull(result.output());
    }

    @Test
    void typedSkillFailureKeepsItsCodeAndLosesAnyEchoedSecret() {
        ExecutionResult result = run(catalog(skill("acme_nf", (input, ctx) -> {
            throw new SkillException(dev.quiver.api.ErrorCode.NOT_FOUND, "no zone for token " + TOKEN, "check the id");
        })), connectionWith(List.of("Zone Read"), List.of()), "acme_nf", "{}", Duration.ofSeconds(5));
        assertEquals(ErrorCode.NOT_FOUND, result.failure().code());
        assertFalse(result.failure().message().contains(TOKEN), result.failure().message());
    }

    @Test
    void transportRefusesToLeaveTheBaseUrl() throws Exception {
        ExecutionResult result = run(catalog(skill("acme_escape", (input, ctx) -> {
            ctx.http().send(HttpRequest.get("/../../elsewhere"));
            return json("{\"ok\":true}");
        })), connectionWith(List.of("Zone Read"), List.of()), "acme_escape", "{}", Duration.ofSeconds(5));
        assertEquals(ErrorCode.PLUGIN_FAULT, result.failure().code());
        assertTrue(result.failure().message().contains("leaves the connection's base URL"));
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void failuresFollowTheContractsErrorSchema() {
        CompiledSchema errorSchema = new JsonSchemas().builtIn("error");
        ExecutionResult denied = run(catalog(CALLS_API), connectionWith(List.of(), List.of()), "acme_zone", "{}",
                Duration.ofSeconds(5));
        ExecutionResult invalid = run(catalog(CALLS_API), connectionWith(List.of("Zone Read"), List.of()),
                "acme_zone", "{\"n\": 0}", Duration.ofSeconds(5));
        for (ExecutionResult result : List.of(denied, invalid)) {
            JsonNode json = ContractJson.result(result);
            assertEquals(List.of(), errorSchema.validate(json).listed(), json.toString());
        }
        assertEquals("PERMISSION_DENIED", ContractJson.result(denied).at("/error/code").asText());
        assertEquals("INVALID_INPUT", ContractJson.result(invalid).at("/error/code").asText());
    }
}

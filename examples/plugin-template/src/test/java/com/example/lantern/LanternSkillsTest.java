package com.example.lantern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.Simulator;
import dev.quiver.testkit.Outcome;
import dev.quiver.testkit.SkillHarness;
import dev.quiver.testkit.TestConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both skills through the harness (input schema, the runner's permission gate, deadline, output schema) against the simulator. */
class LanternSkillsTest {

    private Simulator.Running simulator;
    private SkillHarness harness;

    @BeforeEach
    void start() throws Exception {
        simulator = new LanternSimulator().start(new Simulator.Options(0, Map.of()));
        ObjectNode printed = simulator.connection();
        TestConnection connection = TestConnection.of("lantern", "api_key",
                        Map.of("key", printed.at("/auth/key").asText()), printed.path("base_url").asText())
                .withSetting("organization_url", printed.path("organization_url").asText())
                .withPermissions(List.of("alerts:read", "hosts:isolate"));
        harness = SkillHarness.of(new LanternConnectionType(), connection);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void listsTheOrganisationsAlertsNewestFirst() throws Exception {
        JsonNode output = harness.run(new ListAlertsSkill(), "{}");
        assertEquals(3, output.path("count").asInt());
        assertEquals("al_3", output.at("/alerts/0/id").asText());
    }

    @Test
    void filtersBySeverity() throws Exception {
        JsonNode output = harness.run(new ListAlertsSkill(), "{\"severity\": \"high\"}");
        assertEquals(1, output.path("count").asInt());
        assertEquals("high", output.at("/alerts/0/severity").asText());
    }

    @Test
    void isolatingTwiceIsIsolatedThenAlreadyIsolated() throws Exception {
        String input = "{\"host_id\": \"ws-0042\", \"reason\": \"alert al_3\"}";
        assertEquals("isolated", harness.run(new IsolateHostSkill(), input).path("status").asText());
        assertEquals("already_isolated", harness.run(new IsolateHostSkill(), input).path("status").asText());
    }

    @Test
    void aDryRunSendsNothingAndSaysWhatItWouldSend() {
        Outcome outcome = harness.dryRun().execute(new IsolateHostSkill(),
                "{\"host_id\": \"ws-0042\", \"reason\": \"alert al_3\"}");
        assertEquals("dry_run", outcome.output().path("status").asText());
        assertEquals("/orgs/demo/hosts/ws-0042/isolate", outcome.output().at("/request/path").asText());
        assertEquals(0, outcome.requestsSent());
    }

    @Test
    void aKeyWithoutTheIsolationScopeIsRefusedBeforeAnyRequest() {
        SkillHarness readOnly = harness.withConnection(harness.connection().withPermissions(List.of("alerts:read")));
        Outcome outcome = readOnly.execute(new IsolateHostSkill(), "{\"host_id\": \"ws-0042\", \"reason\": \"x\"}");
        assertEquals("PERMISSION_DENIED", outcome.code());
        assertEquals("hosts:isolate", outcome.missing().get(0).permission());
        assertEquals(0, outcome.requestsSent());
        assertTrue(outcome.remediation().contains("Lantern's console"), outcome.remediation());
    }

    @Test
    void theConsolesNameForAScopeIsAcceptedAndImpliesHostsRead() {
        SkillHarness console = harness.withConnection(harness.connection()
                .withPermissions(List.of("Host containment")));
        Outcome outcome = console.execute(new IsolateHostSkill(), "{\"host_id\": \"ws-0007\", \"reason\": \"x\"}");
        assertTrue(outcome.succeeded(), outcome.code() + ": " + outcome.message());
        assertEquals(1, outcome.requestsSent());
    }

    @Test
    void anInputBreakingTheSchemaIsRefusedBeforeAnyRequest() {
        Outcome outcome = harness.execute(new IsolateHostSkill(), "{\"host_id\": \"../etc\", \"reason\": \"x\"}");
        assertEquals("INVALID_INPUT", outcome.code());
        assertEquals(0, outcome.requestsSent());
    }

    @Test
    void aWrongKeyIsAnAuthenticationFailure() {
        SkillHarness wrongKey = harness.withConnection(new TestConnection("test", "lantern", "api_key",
                Map.of("key", "lk_wrong"), List.of("alerts:read"), harness.connection().settings(),
                harness.connection().baseUrl()));
        assertEquals("AUTHENTICATION_FAILED", wrongKey.execute(new ListAlertsSkill(), "{}").code());
    }
}

package dev.quiver.cloudflare.rulesets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.api.ErrorCode;
import dev.quiver.api.SkillException;
import dev.quiver.testkit.SkillHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ACCOUNT;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.JSON;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ZONE;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.failure;
import static dev.quiver.cloudflare.testing.CloudflareFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateRulesetRuleSkillTest {

    private static final String RULESET = "2f2feab2026849078ba485f918791bdc";
    private static final String ENTRYPOINT = "/zones/" + ZONE + "/rulesets/phases/http_request_firewall_custom/entrypoint";
    private static final String RULES = "/zones/" + ZONE + "/rulesets/" + RULESET + "/rules";
    private static final String BLOCK = """
            {"phase": "http_request_firewall_custom",
             "rule": {"action": "block", "expression": "ip.src eq 198.51.100.7", "description": "SOAR block",
                      "ref": "soar-block-198.51.100.7", "position": {"before": ""}}}""";

    @RegisterExtension
    static WireMockExtension cloudflare = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private final CreateRulesetRuleSkill skill = new CreateRulesetRuleSkill();
    private SkillHarness harness;

    @BeforeEach
    void harness() {
        harness = CloudflareFixtures.harness(cloudflare.baseUrl());
    }

    /** A ruleset (rulesets_Ruleset) holding the given rules. */
    private static ObjectNode ruleset(String version, ObjectNode... rules) {
        ObjectNode ruleset = JSON.createObjectNode().put("id", RULESET).put("name", "default")
                .put("description", "").put("kind", "zone").put("phase", "http_request_firewall_custom")
                .put("version", version).put("last_updated", "2026-11-20T10:00:00.000000Z");
        var array = ruleset.putArray("rules");
        for (ObjectNode rule : rules) {
            array.add(rule);
        }
        return ruleset;
    }

    private static ObjectNode rule(String id, String ref, String expression) {
        ObjectNode rule = JSON.createObjectNode().put("id", id).put("version", "1").put("action", "block")
                .put("expression", expression).put("description", "").put("enabled", true)
                .put("last_updated", "2026-11-20T10:00:00.000000Z");
        if (ref != null) {
            rule.put("ref", ref);
        }
        return rule;
    }

    @Test
    void addsTheRuleToThePhasesEntrypoint() throws Exception {
        cloudflare.stubFor(get(ENTRYPOINT).willReturn(okJson(ok(ruleset("3", rule("a".repeat(32), null, "true"))))));
        cloudflare.stubFor(post(RULES).willReturn(okJson(ok(ruleset("4", rule("a".repeat(32), null, "true"),
                rule("b".repeat(32), "soar-block-198.51.100.7", "ip.src eq 198.51.100.7"))))));

        JsonNode output = harness.run(skill, BLOCK);

        assertEquals("created", output.path("status").asText());
        assertEquals("b".repeat(32), output.at("/rule/id").asText());
        assertEquals(2, output.at("/ruleset/rules_count").asInt());
        assertEquals("4", output.at("/ruleset/version").asText());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES)).withRequestBody(equalToJson("""
                {"action": "block", "expression": "ip.src eq 198.51.100.7", "description": "SOAR block",
                 "ref": "soar-block-198.51.100.7", "position": {"before": ""}}""")));
    }

    @Test
    void anAbsentEntrypointIsCreatedWithTheRuleByPostNeverByTheReplacingPut() throws Exception {
        cloudflare.stubFor(get(ENTRYPOINT).willReturn(aResponse().withStatus(404).withBody(failure(10003,
                "could not find entrypoint ruleset in the http_request_firewall_custom phase"))));
        cloudflare.stubFor(post("/zones/" + ZONE + "/rulesets").willReturn(okJson(ok(ruleset("1",
                rule("b".repeat(32), "soar-block-198.51.100.7", "ip.src eq 198.51.100.7"))))));

        JsonNode output = harness.run(skill, BLOCK);

        assertEquals("created", output.path("status").asText());
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo("/zones/" + ZONE + "/rulesets"))
                .withRequestBody(equalToJson("""
                        {"kind": "zone", "phase": "http_request_firewall_custom", "name": "default",
                         "rules": [{"action": "block", "expression": "ip.src eq 198.51.100.7",
                                    "ref": "soar-block-198.51.100.7"}]}""", true, true)));
        cloudflare.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void theSameRefTwiceYieldsOneRule() throws Exception {
        cloudflare.stubFor(get(ENTRYPOINT).inScenario("ref").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(ok(ruleset("3")))));
        cloudflare.stubFor(post(RULES).inScenario("ref").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(ok(ruleset("4", rule("b".repeat(32), "soar-block-198.51.100.7", "x")))))
                .willSetStateTo("added"));
        cloudflare.stubFor(get(ENTRYPOINT).inScenario("ref").whenScenarioStateIs("added")
                .willReturn(okJson(ok(ruleset("4", rule("b".repeat(32), "soar-block-198.51.100.7", "x"))))));

        JsonNode first = harness.run(skill, BLOCK);
        JsonNode second = harness.run(skill, BLOCK);

        assertEquals("created", first.path("status").asText());
        assertEquals("exists", second.path("status").asText());
        assertEquals(first.at("/rule/id"), second.at("/rule/id"));
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(RULES)));
    }

    @Test
    void aDryRunDescribesTheRequestAndSendsNoWrite() throws Exception {
        cloudflare.stubFor(get(ENTRYPOINT).willReturn(okJson(ok(ruleset("3", rule("a".repeat(32), null, "true"))))));

        JsonNode output = CloudflareFixtures.harness(cloudflare.baseUrl()).dryRun().run(skill, BLOCK);

        assertEquals("dry_run", output.path("status").asText());
        assertEquals("POST", output.at("/request/method").asText());
        assertEquals(RULES, output.at("/request/path").asText());
        assertEquals("soar-block-198.51.100.7", output.at("/request/body/ref").asText());
        assertEquals(RULESET, output.at("/ruleset/id").asText());
        cloudflare.verify(0, postRequestedFor(anyUrl()));
        cloudflare.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void anAccountRulesetIsAddressedByIdAndNeedsAnAccountRulesetsGroup() throws Exception {
        String rules = "/accounts/" + ACCOUNT + "/rulesets/" + RULESET + "/rules";
        cloudflare.stubFor(get("/accounts/" + ACCOUNT + "/rulesets/" + RULESET).willReturn(okJson(ok(ruleset("1")))));
        cloudflare.stubFor(post(rules).willReturn(okJson(ok(ruleset("2", rule("c".repeat(32), null, "true"))))));
        String input = "{\"scope\": \"account\", \"ruleset_id\": \"" + RULESET
                + "\", \"rule\": {\"action\": \"managed_challenge\", \"expression\": \"true\"}}";

        JsonNode output = harness.run(skill, input);

        assertEquals("c".repeat(32), output.at("/rule/id").asText(), "without a ref, the rule that is new");
        cloudflare.verify(1, postRequestedFor(urlPathEqualTo(rules)));
        ConnectionInfo connection = CloudflareFixtures.connectionInfo("c", ACCOUNT, ZONE, "fp");
        var required = skill.requiredPermissions(SkillHarness.parse(input), connection).get(0);
        assertEquals(List.of("Account Rulesets Write", "Account WAF Write"), required.rule().anyOf());
        assertEquals(ACCOUNT, required.resource());
    }

    @Test
    void zonePhasesNeedTheirProductsWriteGroupOnThatZone() throws Exception {
        ConnectionInfo connection = CloudflareFixtures.connectionInfo("c", ACCOUNT, ZONE, "fp");

        var waf = skill.requiredPermissions(SkillHarness.parse(BLOCK), connection).get(0);
        var transform = skill.requiredPermissions(SkillHarness.parse(
                "{\"phase\": \"http_request_transform\", \"rule\": {\"action\": \"rewrite\", \"expression\": \"true\"}}"),
                connection).get(0);

        assertEquals(List.of("Zone WAF Write"), waf.rule().anyOf());
        assertEquals(ZONE, waf.resource());
        assertEquals(List.of("Transform Rules Write"), transform.rule().anyOf());
    }

    @Test
    void anUnknownRulesetIdIsNotFound() {
        cloudflare.stubFor(get("/zones/" + ZONE + "/rulesets/" + RULESET).willReturn(aResponse().withStatus(404)
                .withBody(failure(10003, "could not find ruleset"))));

        SkillException e = assertThrows(SkillException.class, () -> harness.run(skill, "{\"ruleset_id\": \""
                + RULESET + "\", \"rule\": {\"action\": \"block\", \"expression\": \"true\"}}"));

        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(RULESET), e.getMessage());
        cloudflare.verify(0, postRequestedFor(anyUrl()));
    }
}

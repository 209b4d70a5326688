package dev.quiver.cloudflare.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.quiver.api.Skill;
import dev.quiver.cloudflare.testing.CloudflareFixtures;
import dev.quiver.cloudflare.testing.PluginSkills;
import dev.quiver.testkit.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every read skill, run many times against answers generated from Cloudflare's official spec (the subset in
 * {@code src/test/resources/cloudflare-api}): whatever the spec allows Cloudflare to answer, no skill reports
 * PLUGIN_FAULT (its output schema may require only what the spec guarantees), and every request it sends is one the
 * spec defines. The seed is printed; replay a failure with {@code -Dquiver.generated.seed=N}; more runs with
 * {@code -Dquiver.generated.runs=N}.
 */
class GeneratedAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiSubset SPEC = OpenApiSubset.load();
    private static final long SEED = Long.getLong("quiver.generated.seed", System.nanoTime());
    private static final int RUNS = Integer.getInteger("quiver.generated.runs", 25);

    private static WireMockServer server;
    private static SpecAnswersTransformer answers;

    @BeforeAll
    static void start() {
        System.out.println("GeneratedAnswersTest seed " + SEED + " (replay: -Dquiver.generated.seed=" + SEED + ")");
        answers = new SpecAnswersTransformer(SPEC, SEED);
        server = new WireMockServer(options().dynamicPort().extensions(answers));
        server.start();
        server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse()));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void spec_valid_answers_never_make_a_read_skill_fault_and_every_request_keeps_the_spec() throws IOException {
        List<String> faults = new ArrayList<>();
        Map<String, Integer> codes = new TreeMap<>();
        int executions = 0;
        for (Skill skill : PluginSkills.reads()) {
            for (JsonNode input : inputs(skill)) {
                for (int run = 0; run < RUNS; run++) {
                    long seed = SEED + 7919L * executions;
                    answers.reseed(seed);
                    Outcome outcome = CloudflareFixtures.harness(server.baseUrl() + "/client/v4")
                            .execute(skill, input);
                    executions++;
                    codes.merge(skill.descriptor().id() + " " + (outcome.succeeded() ? "ok" : outcome.code()), 1,
                            Integer::sum);
                    if ("PLUGIN_FAULT".equals(outcome.code())) {
                        faults.add(skill.descriptor().id() + " " + input + " (answer seed " + seed + "): "
                                + outcome.message() + " after " + answers.requests());
                    }
                }
            }
        }
        System.out.println("GeneratedAnswersTest: " + executions + " executions, outcomes " + codes);
        // The distinct broken rules, indices folded, so one look shows every field a schema demands too much of.
        faults.stream().map(f -> f.replaceAll("/(\\d+)", "/N").replaceAll(" \\(answer seed.*?\\):", ":")
                        .replaceAll(" after \\[.*", "")).distinct().sorted()
                .forEach(f -> System.out.println("  fault: " + f));
        assertTrue(executions > 0);
        assertEquals(List.of(), faults.stream().limit(10).toList(), faults.size() + " PLUGIN_FAULTs; seed " + SEED);
        assertEquals(List.of(), answers.violations().stream().distinct().toList(),
                "requests that break the spec; seed " + SEED);
    }

    /** The skill's empty input when its schema admits it, and each valid example input of its test resources. */
    private static List<JsonNode> inputs(Skill skill) throws IOException {
        List<JsonNode> inputs = new ArrayList<>();
        String name = skill.descriptor().id().substring("cloudflare_".length());
        if (dev.quiver.testkit.Schemas.messages(dev.quiver.testkit.Schemas.compile(skill.descriptor().inputSchema()),
                JSON.createObjectNode()).isEmpty()) {
            inputs.add(JSON.createObjectNode());
        }
        URL folder = GeneratedAnswersTest.class.getResource("/examples/cloudflare/" + name + ".input/valid");
        if (folder != null) {
            try (Stream<Path> files = Files.list(Path.of(folder.getPath()))) {
                for (Path file : files.sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        JsonNode input = JSON.readTree(in);
                        if (!inputs.contains(input)) {
                            inputs.add(input);
                        }
                    }
                }
            }
        }
        return inputs;
    }
}

package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based tests of every skill of the real plugin: generated inputs ({@link SkillInputs}: arbitrary JSON, and
 * near-valid objects built from each skill's schema) run through the whole pipeline against the sandbox.
 *
 * <p>The properties: an execution always returns (no exception escapes it); a refused input is
 * {@code INVALID_INPUT} and no request left for it; an accepted input succeeds, or meets an answer a valid input can
 * meet (a zone that does not exist: {@code NOT_FOUND}; another account, or a zone the token cannot reach:
 * {@code PERMISSION_DENIED}), never a {@code PLUGIN_FAULT} or an upstream error the schema should have kept out.
 *
 * <p>Each run draws a new seed, printed with any failure; {@code -Dquiver.fuzz.seed=N} replays one.
 */
class InputFuzzTest {

    private static final Set<ErrorCode> ANSWERS_TO_VALID_INPUT = EnumSet.of(ErrorCode.NOT_FOUND,
            ErrorCode.PERMISSION_DENIED);
    private static final long SEED = Long.getLong("quiver.fuzz.seed", new Random().nextLong());

    @TempDir
    static Path dir;
    private static CloudflareSandbox sandbox;
    private static QuiverRuntime runtime;
    private static List<CatalogEntry> skills;
    private final Random random = new Random(SEED);
    private SkillInputs inputs;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        sandbox = CloudflareSandbox.start(0);
        runtime = QuiverRuntime.start(dir.resolve("home"), List.of(plugins), name -> null);
        ObjectNode connection = sandbox.connection();
        runtime.connections().addRemote(connection, "test");
        skills = runtime.catalog().entries().stream().filter(e -> e.id().startsWith("cloudflare_")).toList();
        assertEquals(14, skills.size(), "every Cloudflare skill is fuzzed");
    }

    @BeforeEach
    void generator() {
        ObjectNode connection = sandbox.connection();
        inputs = new SkillInputs(random, connection.path("account_id").asText(), connection.path("zone_id").asText());
    }

    @AfterAll
    static void stop() {
        runtime.close();
        sandbox.close();
    }

    @Test
    void arbitraryJsonIsRefusedBeforeAnyRequestOrRuns() {
        Map<String, Integer> outcomes = fuzz(400, skill -> inputs.anyJson(3));
        assertTrue(outcomes.getOrDefault("INVALID_INPUT", 0) > 0, outcomes.toString());
    }

    @Test
    void nearValidInputIsRefusedBeforeAnyRequestOrRuns() {
        Map<String, Integer> outcomes = fuzz(1000, skill -> {
            JsonNode schema = skill.descriptor().inputSchema();
            return inputs.nearValid(schema, schema);
        });
        // the generator must get past validation often, or the property says little about the skills themselves
        assertTrue(outcomes.getOrDefault("succeeded", 0) >= 100, "too few accepted inputs: " + outcomes);
        assertTrue(outcomes.getOrDefault("INVALID_INPUT", 0) >= 100, "too few refused inputs: " + outcomes);
    }

    @Test
    void aFieldTheSchemaDoesNotDeclareIsAlwaysInvalidInput() {
        for (int i = 0; i < 300; i++) {
            CatalogEntry skill = skills.get(random.nextInt(skills.size()));
            JsonNode schema = skill.descriptor().inputSchema();
            ObjectNode input = inputs.nearValid(schema, schema);
            input.put(inputs.undeclaredName(), true);
            long before = sandbox.requestCount();

            ExecutionResult result = run(skill.id(), input);

            assertTrue(!result.succeeded() && result.failure().code() == ErrorCode.INVALID_INPUT,
                    describe(i, result, input));
            assertEquals(before, sandbox.requestCount(), "a request left for " + describe(i, result, input));
        }
    }

    /** Runs {@code tries} generated inputs, checks the properties on each, and returns how they ended. */
    private Map<String, Integer> fuzz(int tries, Function<CatalogEntry, JsonNode> generator) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < tries; i++) {
            CatalogEntry skill = skills.get(random.nextInt(skills.size()));
            JsonNode input = generator.apply(skill);
            long before = sandbox.requestCount();

            ExecutionResult result = run(skill.id(), input);

            String outcome = result.succeeded() ? "succeeded" : result.failure().code().name();
            outcomes.merge(outcome, 1, Integer::sum);
            if (!result.succeeded()) {
                ErrorCode code = result.failure().code();
                if (code == ErrorCode.INVALID_INPUT) {
                    assertEquals(before, sandbox.requestCount(), "a request left for " + describe(i, result, input));
                }
                assertTrue(code == ErrorCode.INVALID_INPUT || ANSWERS_TO_VALID_INPUT.contains(code),
                        describe(i, result, input));
            }
        }
        System.out.println("InputFuzzTest seed " + SEED + ": " + outcomes);
        return outcomes;
    }

    private static ExecutionResult run(String skill, JsonNode input) {
        return runtime.pipeline().execute(new ExecutionRequest(skill, "sandbox", input, false, Duration.ofSeconds(20)));
    }

    private static String describe(int attempt, ExecutionResult result, JsonNode input) {
        return "seed " + SEED + " try " + attempt + ": " + result.skillId() + " " + input + " -> "
                + (result.succeeded() ? "succeeded"
                : result.failure().code() + ": " + result.failure().message() + " " + result.failure().details());
    }
}

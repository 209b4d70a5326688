package dev.quiver.cloudflare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.quiver.api.ConnectionInfo;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a skill as the runner would, minus the runner: input checked against the skill's input schema first, output
 * against its output schema after, over a real HTTP transport to {@code baseUrl}.
 */
public final class SkillHarness {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final String baseUrl;
    private Duration timeout = Duration.ofSeconds(10);
    private boolean dryRun;

    public SkillHarness(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public SkillHarness timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public SkillHarness dryRun() {
        this.dryRun = true;
        return this;
    }

    /** Each harness has its own credential, so the process-wide pacer of one test never slows another. */
    public SkillContext context() {
        ConnectionInfo connection = CloudflareFixtures.connectionInfo("test", CloudflareFixtures.ACCOUNT, CloudflareFixtures.ZONE, "fp-" + UUID.randomUUID());
        return new SkillContext(UUID.randomUUID().toString(), connection,
                new OkHttpTransport(baseUrl, "test-token"), dryRun, Instant.now().plus(timeout),
                LoggerFactory.getLogger("skill-test"));
    }

    /** Runs {@code skill} on {@code input} (which must pass the input schema); its output must pass the output's. */
    public JsonNode run(Skill skill, String input) throws SkillException {
        JsonNode parsed = parse(input);
        assertValid(skill.descriptor().inputSchema(), parsed, "input");
        JsonNode output = skill.execute(parsed, context());
        assertValid(skill.descriptor().outputSchema(), output, "output");
        return output;
    }

    public static JsonNode parse(String json) {
        try {
            return CloudflareFixtures.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static void assertValid(JsonNode schema, JsonNode value, String what) {
        Schema compiled = SCHEMAS.getSchema(schema);
        List<String> errors = compiled.validate(value).stream().map(Error::toString).toList();
        assertEquals(List.of(), errors, what + " breaks its schema: " + value);
    }
}

package dev.quiver.runner.testing.faulty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import org.pf4j.Extension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Skills that misbehave, packed into a plugin archive by {@code PluginArchives.faultyPlugin}: each declares an
 * output of {@code {"ok": true}} and breaks its contract another way.
 */
public final class FaultySkills {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultySkills() {
    }

    static SkillDescriptor descriptor(String id) {
        try {
            return new SkillDescriptor(id, id, "A skill that misbehaves, for resilience tests.", "1.0.0",
                    SkillDescriptor.Access.READ, "cloudflare", JSON.readTree("{\"type\": \"object\"}"),
                    JSON.readTree("{\"type\": \"object\", \"required\": [\"ok\"], \"additionalProperties\": false,"
                            + " \"properties\": {\"ok\": {\"const\": true}}}"),
                    List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws an unchecked exception. */
    @Extension
    public static final class Throws implements Skill {
        @Override
        public SkillDescriptor descriptor() {
            return FaultySkills.descriptor("fault_throws");
        }

        @Override
        public JsonNode execute(JsonNode input, SkillContext context) {
            throw new IllegalStateException("a bug in the plugin");
        }
    }

    /** Ignores its deadline and interrupts for 10 seconds. */
    @Extension
    public static final class Hangs implements Skill {
        @Override
        public SkillDescriptor descriptor() {
            return FaultySkills.descriptor("fault_hangs");
        }

        @Override
        public JsonNode execute(JsonNode input, SkillContext context) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // a badly written skill: carries on
                }
            }
            return JSON.createObjectNode().put("ok", true);
        }
    }

    /** Returns output its own schema refuses. */
    @Extension
    public static final class BreaksItsSchema implements Skill {
        @Override
        public SkillDescriptor descriptor() {
            return FaultySkills.descriptor("fault_bad_output");
        }

        @Override
        public JsonNode execute(JsonNode input, SkillContext context) {
            return JSON.createObjectNode().put("ok", "yes").put("internal", "not declared");
        }
    }
}

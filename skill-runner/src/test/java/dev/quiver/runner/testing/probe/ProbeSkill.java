package dev.quiver.runner.testing.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.Skill;
import org.pf4j.Extension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A skill for plugin-lifecycle tests, packed into plugin archives by {@code PluginArchives.probePlugin}: it
 * answers with the text of {@code probe-version.txt} from its own plugin, so a test sees which archive's files
 * its class loader reads.
 */
@Extension
public final class ProbeSkill implements Skill {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public SkillDescriptor descriptor() {
        try {
            return new SkillDescriptor("probe_plugin_version", "Probe plugin version", "Says which archive it came from.",
                    "1.0.0", SkillDescriptor.Access.READ, "cloudflare",
                    JSON.readTree("{\"type\": \"object\"}"),
                    JSON.readTree("{\"type\": \"object\", \"required\": [\"version\"],"
                            + " \"properties\": {\"version\": {\"type\": \"string\"}}}"),
                    List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JsonNode execute(JsonNode input, SkillContext context) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("probe-version.txt")) {
            String version = in == null ? "none" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return JSON.createObjectNode().put("version", version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

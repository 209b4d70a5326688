package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.ResourceKind;
import dev.quiver.api.Simulator;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.gate.PermissionVocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every plugin keeps, checked as the runner's catalogue checks it when the plugin is installed: extend
 * it in the plugin's tests and say what the plugin contributes. A plugin that passes it is admitted by the runner.
 *
 * <ul>
 *   <li>the connection type's declarations hang together: an id, auth methods whose header templates name their
 *       required fields, distinct resource kinds, every permission on a declared kind, a settings schema that
 *       compiles;</li>
 *   <li>every skill's descriptor is well formed: id {@code [a-z][a-z0-9_]{2,63}}, unique, title, description,
 *       version, the plugin's connection type, an input schema of type object;</li>
 *   <li>every schema compiles under draft 2020-12 (checked against the meta-schema first);</li>
 *   <li>every permission a skill declares is a canonical name of the type's vocabulary, on the kind it is granted
 *       on;</li>
 *   <li>every example in a schema ({@code examples}, the standard keyword, at the schema's root) passes it;</li>
 *   <li>the simulator, when the plugin brings one, starts and prints a connection of the type that reads as one.</li>
 * </ul>
 */
public abstract class PluginContractTest {

    private static final Pattern SKILL_ID = Pattern.compile("^[a-z][a-z0-9_]{2,63}$");
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Pattern TEMPLATE_FIELD = Pattern.compile("\\{([a-z0-9_]+)}");

    /** The plugin's connection type. */
    protected abstract ConnectionType connectionType();

    /** Every skill the plugin contributes. */
    protected abstract List<Skill> skills();

    /** The plugin's simulator, or {@code null} when it brings none. */
    protected Simulator simulator() {
        return null;
    }

    @Test
    void theConnectionTypesDeclarationsHangTogether() {
        ConnectionType type = connectionType();
        assertTrue(NAME.matcher(type.id()).matches(), "type id " + type.id());
        assertTrue(type.defaultBaseUrl().startsWith("https://"), "the default base URL is https");
        assertFalse(type.authMethods().isEmpty(), "at least one auth method");
        for (AuthMethod method : type.authMethods()) {
            assertTrue(NAME.matcher(method.name()).matches(), "auth method " + method.name());
            assertFalse(method.headers().isEmpty(), method.name() + " sends its credential somehow");
            for (String template : method.headers().values()) {
                Matcher field = TEMPLATE_FIELD.matcher(template);
                while (field.find()) {
                    assertTrue(method.fields().contains(field.group(1)), method.name() + " sends {" + field.group(1)
                            + "}, which is not one of its required fields");
                }
            }
        }
        Set<String> kinds = new HashSet<>();
        for (ResourceKind kind : type.resourceKinds()) {
            assertTrue(kinds.add(kind.name()), "resource kind " + kind.name() + " declared twice");
        }
        for (PermissionGroup group : type.permissionGroups()) {
            assertTrue(kinds.contains(group.scope()), "permission " + group.name() + " is granted on '"
                    + group.scope() + "', not one of the kinds " + kinds);
            PermissionVocabulary vocabulary = PermissionVocabulary.of(type);
            for (String implied : group.implies()) {
                assertTrue(vocabulary.isCanonical(implied), group.name() + " implies unknown '" + implied + "'");
            }
        }
        compiles(type.settingsSchema(), "the settings schema");
    }

    @Test
    void everyDescriptorIsWellFormed() {
        Set<String> ids = new HashSet<>();
        assertFalse(skills().isEmpty(), "the plugin contributes skills");
        for (Skill skill : skills()) {
            SkillDescriptor d = skill.descriptor();
            assertNotNull(d, skill.getClass() + " has a descriptor");
            assertTrue(SKILL_ID.matcher(d.id()).matches(), "skill id " + d.id());
            assertTrue(ids.add(d.id()), "skill id " + d.id() + " twice");
            for (String text : new String[] {d.title(), d.description(), d.version()}) {
                assertTrue(text != null && !text.isBlank(), d.id() + ": title, description and version");
            }
            assertEquals(connectionType().id(), d.connectionType(), d.id() + " runs on the plugin's type");
            assertEquals("object", d.inputSchema().path("type").asText(), d.id() + ": input schema type object");
        }
    }

    @Test
    void everySchemaCompilesUnderDraft202012() {
        for (Skill skill : skills()) {
            compiles(skill.descriptor().inputSchema(), skill.descriptor().id() + " input schema");
            compiles(skill.descriptor().outputSchema(), skill.descriptor().id() + " output schema");
        }
    }

    @Test
    void everyDeclaredPermissionIsInTheTypesVocabulary() {
        PermissionVocabulary vocabulary = PermissionVocabulary.of(connectionType());
        for (Skill skill : skills()) {
            for (PermissionRule rule : skill.descriptor().permissions()) {
                String where = skill.descriptor().id() + ": ";
                assertFalse(rule.anyOf().isEmpty(), where + "a rule names at least one permission");
                assertTrue(vocabulary.kind(rule.scope()).isPresent(), where + "'" + rule.scope()
                        + "' is not a resource kind of " + connectionType().id());
                for (String name : rule.anyOf()) {
                    assertTrue(vocabulary.isCanonical(name), where + "'" + name + "' is not a canonical permission"
                            + " of " + connectionType().id());
                    assertEquals(rule.scope(), vocabulary.group(name).orElseThrow().scope(),
                            where + "'" + name + "' is granted on another kind");
                }
            }
        }
    }

    @Test
    void everyExampleInASchemaPassesIt() {
        int examples = 0;
        for (Skill skill : skills()) {
            SkillDescriptor d = skill.descriptor();
            examples += examplesPass(d.inputSchema(), d.id() + " input");
            examples += examplesPass(d.outputSchema(), d.id() + " output");
        }
        examples += examplesPass(connectionType().settingsSchema(), "settings");
        assertTrue(examples >= 0);
    }

    @Test
    void theSimulatorStartsAndPrintsAConnectionOfTheType() throws Exception {
        Simulator simulator = simulator();
        if (simulator == null) {
            return;
        }
        assertEquals(connectionType().id(), simulator.connectionType());
        try (Simulator.Running running = simulator.start(new Simulator.Options(0, Map.of()))) {
            ObjectNode connection = running.connection();
            assertEquals(connectionType().id(), connection.path("type").asText());
            String method = connection.at("/auth/method").asText();
            AuthMethod declared = connectionType().authMethods().stream().filter(m -> m.name().equals(method))
                    .findFirst().orElseThrow(() -> new AssertionError("auth method " + method + " not declared"));
            for (String field : declared.fields()) {
                assertTrue(connection.path("auth").hasNonNull(field), "auth." + field);
            }
            assertTrue(connection.path("base_url").asText().startsWith("http://127.0.0.1:"),
                    "serves on the loopback interface: " + connection.path("base_url"));
            ObjectNode settings = connection.deepCopy();
            settings.remove(List.of("id", "type", "auth", "permissions", "base_url"));
            List<String> wrong = Schemas.messages(Schemas.compile(connectionType().settingsSchema()), settings);
            assertEquals(List.of(), wrong, "its settings pass the type's settings schema");
            assertFalse(running.describe().isBlank());
        }
    }

    private static void compiles(JsonNode schema, String what) {
        try {
            Schemas.compile(schema);
        } catch (IllegalArgumentException e) {
            fail(what + ": " + e.getMessage());
        }
    }

    private static int examplesPass(JsonNode schema, String what) {
        Schema compiled = Schemas.compile(schema);
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (JsonNode example : schema.path("examples")) {
            count++;
            List<String> wrong = Schemas.messages(compiled, example);
            if (!wrong.isEmpty()) {
                problems.add(what + " example " + count + ": " + wrong);
            }
        }
        assertEquals(List.of(), problems);
        return count;
    }
}

package dev.quiver.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.api.SkillException;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.Credential;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.plugins.Contribution;
import dev.quiver.runner.schema.JsonSchemas;

import java.util.List;
import java.util.Map;

/** In-code skills and a connection type for testing the runner without pf4j. */
public final class TestSkills {

    public static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    public static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";
    public static final String OTHER_ZONE = "0b1d9a0e5b2c4d7e8f9a0b1c2d3e4f50";

    private TestSkills() {
    }

    /** The body of a skill's execute. */
    @FunctionalInterface
    public interface Body {
        JsonNode run(JsonNode input, SkillContext context) throws Exception;
    }

    public static final ConnectionType TYPE = new ConnectionType() {
        @Override
        public String id() {
            return "acme";
        }

        @Override
        public String defaultBaseUrl() {
            return "https://api.acme.invalid/v1";
        }

        @Override
        public List<AuthMethod> authMethods() {
            return List.of(new AuthMethod("api_token", List.of("token"), Map.of("Authorization", "Bearer {token}")),
                    new AuthMethod("global_api_key", List.of("email", "key"),
                            Map.of("X-Auth-Email", "{email}", "X-Auth-Key", "{key}")));
        }

        @Override
        public List<PermissionGroup> permissionGroups() {
            return List.of(
                    new PermissionGroup("Zone Read", "zone", List.of(), List.of()),
                    new PermissionGroup("Zone Write", "zone", List.of("Zone Edit"), List.of("Zone Read")),
                    new PermissionGroup("Zone WAF Read", "zone", List.of(), List.of()),
                    new PermissionGroup("Zone WAF Write", "zone", List.of("Zone WAF Edit"), List.of("Zone WAF Read")),
                    new PermissionGroup("Account Rulesets Write", "account", List.of(), List.of()),
                    new PermissionGroup("Account WAF Write", "account", List.of(), List.of()),
                    new PermissionGroup("Account Settings Read", "account", List.of(), List.of()));
        }

        @Override
        public JsonNode settingsSchema() {
            return json("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                    + "\"required\":[\"account_id\"],\"additionalProperties\":false,\"properties\":{"
                    + "\"account_id\":{\"type\":\"string\"},\"zone_id\":{\"type\":\"string\"},"
                    + "\"zones\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}");
        }

        @Override
        public List<dev.quiver.api.ResourceKind> resourceKinds() {
            return List.of(dev.quiver.api.ResourceKind.withoutId("user"),
                    new dev.quiver.api.ResourceKind("account", "account_id", "account_id", "account_id"),
                    new dev.quiver.api.ResourceKind("zone", "zone_id", "zone_id", "zones"));
        }

        @Override
        public String requestIdHeader() {
            return "x-request-id";
        }

        @Override
        public List<String> unrestrictedAuthMethods() {
            return List.of("global_api_key");
        }
    };

    /** A read skill named {@code id} that needs "Zone Read" on its zone and takes {@code {"zone_id"?, "n"?}}. */
    public static Skill skill(String id, Body body) {
        return skill(id, List.of(PermissionRule.of("zone", "Zone Read")), body);
    }

    public static Skill skill(String id, List<PermissionRule> rules, Body body) {
        SkillDescriptor descriptor = new SkillDescriptor(id, "Test " + id, "A test skill.", "1.0.0",
                SkillDescriptor.Access.READ, "acme",
                json("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                        + "\"additionalProperties\":false,\"properties\":{\"zone_id\":{\"type\":\"string\"},"
                        + "\"n\":{\"type\":\"integer\",\"minimum\":1}}}"),
                json("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                        + "\"required\":[\"ok\"],\"properties\":{\"ok\":{\"type\":\"boolean\"}}}"),
                rules);
        return new Skill() {
            @Override
            public SkillDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public JsonNode execute(JsonNode input, SkillContext context) throws SkillException {
                try {
                    return body.run(input, context);
                } catch (SkillException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    public static SkillCatalog catalog(Skill... skills) {
        return SkillCatalog.build(List.of(new Contribution("test-plugin", "1.0.0", List.of(TYPE), List.of(skills),
                Map.of())), new JsonSchemas());
    }

    /** A connection with an API token, the given permissions (null: unknown) and zone allow-list. */
    public static Connection connection(String baseUrl, String token, List<String> permissions, List<String> zones) {
        return new Connection("test-conn", "acme", new Credential("api_token", Map.of("token", token)),
                settings(ACCOUNT, ZONE, zones), permissions, baseUrl);
    }

    /** The test type's settings: an account, a default zone ({@code null}: none) and a zone allow-list. */
    public static com.fasterxml.jackson.databind.node.ObjectNode settings(String account, String zone,
                                                                          List<String> zones) {
        com.fasterxml.jackson.databind.node.ObjectNode settings = Json.MAPPER.createObjectNode();
        settings.put("account_id", account);
        if (zone != null) {
            settings.put("zone_id", zone);
        }
        if (zones != null && !zones.isEmpty()) {
            zones.forEach(settings.putArray("zones")::add);
        }
        return settings;
    }

    public static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

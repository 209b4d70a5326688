package dev.quiver.runner.catalog;

import dev.quiver.gate.PermissionVocabulary;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.plugins.Contribution;
import dev.quiver.runner.schema.JsonSchemas;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.quiver.runner.testing.TestSkills.TYPE;
import static dev.quiver.runner.testing.TestSkills.json;
import static dev.quiver.runner.testing.TestSkills.skill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkillCatalogTest {

    private static final JsonSchemas SCHEMAS = new JsonSchemas();

    private static SkillCatalog build(Skill... skills) {
        return SkillCatalog.build(List.of(new Contribution("p", "1.0.0", List.of(TYPE), List.of(skills), Map.of())),
                SCHEMAS);
    }

    private static Skill withSchema(String id, String inputSchema) {
        SkillDescriptor descriptor = new SkillDescriptor(id, "t", "d", "1.0.0", SkillDescriptor.Access.READ, "acme",
                json(inputSchema), json("{\"type\":\"object\"}"), List.of());
        return new Skill() {
            @Override
            public SkillDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode execute(com.fasterxml.jackson.databind.JsonNode input,
                                                                   SkillContext context) {
                return input;
            }
        };
    }

    private static String onlyRejection(SkillCatalog catalog) {
        assertEquals(1, catalog.rejections().size(), catalog.rejections().toString());
        return catalog.rejections().get(0).reason();
    }

    @Test
    void admitsAWellFormedSkill() {
        SkillCatalog catalog = build(skill("acme_zone", (in, ctx) -> in));
        assertTrue(catalog.find("acme_zone").isPresent());
        assertTrue(catalog.rejections().isEmpty());
    }

    @Test
    void duplicateIdKeepsTheFirstAndRejectsTheSecond() {
        SkillCatalog catalog = SkillCatalog.build(List.of(
                new Contribution("first", "1.0.0", List.of(TYPE), List.of(skill("acme_zone", (in, ctx) -> in)), Map.of()),
                new Contribution("second", "1.0.0", List.of(), List.of(skill("acme_zone", (in, ctx) -> in)), Map.of())),
                SCHEMAS);
        assertEquals("first", catalog.find("acme_zone").orElseThrow().pluginId());
        assertTrue(onlyRejection(catalog).contains("duplicate skill id"));
        assertEquals("second", catalog.rejections().get(0).pluginId());
    }

    @Test
    void rejectsASchemaThatDoesNotCompile() {
        SkillCatalog catalog = build(withSchema("acme_bad", "{\"type\": 5}"), skill("acme_good", (in, ctx) -> in));
        assertTrue(onlyRejection(catalog).contains("input schema does not compile"));
        assertTrue(catalog.find("acme_good").isPresent());
    }

    @Test
    void rejectsAnotherDraftsSchema() {
        assertTrue(onlyRejection(build(withSchema("acme_old",
                "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"object\"}")))
                .contains("draft 2020-12"));
    }

    @Test
    void rejectsAPermissionGroupOutsideTheVendorsVocabulary() {
        assertTrue(onlyRejection(build(skill("acme_x", List.of(PermissionRule.of("zone", "Zone Everything")),
                (in, ctx) -> in))).contains("'Zone Everything' is not a permission group of acme"));
    }

    @Test
    void rejectsADashboardAliasInADeclaration() {
        assertTrue(onlyRejection(build(skill("acme_x", List.of(PermissionRule.of("zone", "Zone WAF Edit")),
                (in, ctx) -> in))).contains("write 'Zone WAF Write'"));
    }

    @Test
    void rejectsAGroupDeclaredOnTheWrongScope() {
        assertTrue(onlyRejection(build(skill("acme_x", List.of(PermissionRule.of("account", "Zone Read")),
                (in, ctx) -> in))).contains("granted on a zone, not a account"));
    }

    @Test
    void rejectsARuleWithNoAlternatives() {
        assertTrue(onlyRejection(build(skill("acme_x", List.of(new PermissionRule("zone", List.of(), null)),
                (in, ctx) -> in))).contains("anyOf is empty"));
    }

    @Test
    void rejectsASkillForAConnectionTypeNoPluginProvides() {
        SkillCatalog catalog = SkillCatalog.build(List.of(new Contribution("p", "1.0.0", List.of(),
                List.of(skill("acme_zone", (in, ctx) -> in)), Map.of())), SCHEMAS);
        assertTrue(onlyRejection(catalog).contains("unknown connection type 'acme'"));
    }

    @Test
    void rejectsAMalformedId() {
        assertTrue(onlyRejection(build(skill("Acme-Zone", (in, ctx) -> in))).contains("skill id must match"));
    }

    @Test
    void vocabularyResolvesAliasesAndImplicationsTransitively() {
        PermissionVocabulary vocabulary = PermissionVocabulary.of(TYPE);
        assertEquals(java.util.Set.of("Zone WAF Write", "Zone WAF Read"), vocabulary.closure(List.of("Zone WAF Edit")));
    }

    /** The test type with one declaration changed. */
    private static dev.quiver.api.ConnectionType typeWith(List<dev.quiver.api.AuthMethod> methods,
                                                        List<dev.quiver.api.PermissionGroup> groups,
                                                        com.fasterxml.jackson.databind.JsonNode settings) {
        return new dev.quiver.api.ConnectionType() {
            public String id() {
                return "acme";
            }

            public String defaultBaseUrl() {
                return TYPE.defaultBaseUrl();
            }

            public List<dev.quiver.api.AuthMethod> authMethods() {
                return methods == null ? TYPE.authMethods() : methods;
            }

            public List<dev.quiver.api.PermissionGroup> permissionGroups() {
                return groups == null ? TYPE.permissionGroups() : groups;
            }

            public List<dev.quiver.api.ResourceKind> resourceKinds() {
                return TYPE.resourceKinds();
            }

            public com.fasterxml.jackson.databind.JsonNode settingsSchema() {
                return settings == null ? TYPE.settingsSchema() : settings;
            }
        };
    }

    private static SkillCatalog buildWith(dev.quiver.api.ConnectionType type) {
        return SkillCatalog.build(List.of(new Contribution("p", "1.0.0", List.of(type),
                List.of(skill("acme_zone", (in, ctx) -> in)), Map.of())), SCHEMAS);
    }

    @Test
    void refusesATypeWhoseHeaderTemplateNamesAFieldThatIsNotRequired() {
        SkillCatalog catalog = buildWith(typeWith(List.of(new dev.quiver.api.AuthMethod("api_token",
                List.of("token"), List.of("refresh"), Map.of("Authorization", "Bearer {refresh}"))), null, null));
        assertTrue(catalog.connectionType("acme").isEmpty());
        assertTrue(catalog.rejections().get(0).reason().contains("{refresh}"), catalog.rejections().toString());
        assertTrue(catalog.find("acme_zone").isEmpty(), "its skills have no type to run on");
    }

    @Test
    void refusesATypeWithAPermissionOnAnUndeclaredKind() {
        SkillCatalog catalog = buildWith(typeWith(null, List.of(dev.quiver.api.PermissionGroup.of("Zone Read",
                "site")), null));
        assertTrue(catalog.rejections().get(0).reason().contains("'site', which is not one of its resource kinds"),
                catalog.rejections().toString());
    }

    @Test
    void refusesATypeWhoseSettingsSchemaDoesNotCompile() {
        SkillCatalog catalog = buildWith(typeWith(null, null, json("{\"type\": 12}")));
        assertTrue(catalog.rejections().get(0).reason().startsWith("settings schema does not compile"),
                catalog.rejections().toString());
    }

    @Test
    void refusesARuleOnAKindTheTypeDoesNotDeclare() {
        String reason = onlyRejection(build(skill("acme_x", List.of(PermissionRule.of("project", "Zone Read")),
                (in, ctx) -> in)));
        assertTrue(reason.contains("'project' is not a resource kind of acme"), reason);
    }
}

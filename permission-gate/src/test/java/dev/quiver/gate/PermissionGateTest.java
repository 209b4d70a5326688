package dev.quiver.gate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.api.ResourceKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermissionGateTest {

    static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    static final String ZONE = "9a7806061c88ada191ed06f989cc3dac";
    static final String OTHER_ZONE = "0b1d9a0e5b2c4d7e8f9a0b1c2d3e4f50";

    /** A type shaped like a vendor with accounts and zones inside them; the gate knows only these declarations. */
    static final ConnectionType TYPE = new ConnectionType() {
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
                    PermissionGroup.of("Zone Read", "zone"),
                    new PermissionGroup("Zone Write", "zone", List.of("Zone Edit"), List.of("Zone Read")),
                    PermissionGroup.of("Zone WAF Read", "zone"),
                    new PermissionGroup("Zone WAF Write", "zone", List.of("Zone WAF Edit"), List.of("Zone WAF Read")),
                    PermissionGroup.of("Account Rulesets Write", "account"),
                    PermissionGroup.of("Account WAF Write", "account"),
                    PermissionGroup.of("Account Settings Read", "account"));
        }

        @Override
        public List<ResourceKind> resourceKinds() {
            return List.of(ResourceKind.withoutId("user"),
                    new ResourceKind("account", "account_id", "account_id", "account_id"),
                    new ResourceKind("zone", "zone_id", "zone_id", "zones"));
        }

        @Override
        public List<String> unrestrictedAuthMethods() {
            return List.of("global_api_key");
        }
    };

    static ObjectNode settings(String account, String zone, List<String> zones) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("account_id", account);
        if (zone != null) {
            settings.put("zone_id", zone);
        }
        if (!zones.isEmpty()) {
            zones.forEach(settings.putArray("zones")::add);
        }
        return settings;
    }

    static Holder connection(String baseUrl, String token, List<String> held, List<String> zones) {
        return new Holder("test-conn", "api_token", held, settings(ACCOUNT, ZONE, zones));
    }

    private static final PermissionVocabulary VOCABULARY = PermissionVocabulary.of(TYPE);
    private static final PermissionRule ZONE_READ = PermissionRule.of("zone", "Zone Read");
    private static final PermissionRule ZONE_WAF_WRITE = PermissionRule.of("zone", "Zone WAF Write");
    private static final PermissionRule ACCOUNT_RULES = new PermissionRule("account",
            List.of("Account Rulesets Write", "Account WAF Write"), "the target is the account");

    private static PermissionGate.Decision check(List<String> held, List<String> zones, RequiredPermission... needs) {
        return PermissionGate.check(List.of(needs), connection("http://x", "t0ken-value", held, zones), TYPE,
                VOCABULARY);
    }

    @Test
    void heldGroupPasses() {
        assertTrue(check(List.of("Zone Read"), List.of(), new RequiredPermission(ZONE_READ, ZONE)).allowed());
    }

    @Test
    void writeImpliesRead() {
        assertTrue(check(List.of("Zone Write"), List.of(), new RequiredPermission(ZONE_READ, ZONE)).allowed());
    }

    @Test
    void readDoesNotImplyWrite() {
        PermissionGate.Decision decision = check(List.of("Zone WAF Read"), List.of(),
                new RequiredPermission(ZONE_WAF_WRITE, ZONE));
        assertEquals(List.of(new MissingPermission("Zone WAF Write", "zone", ZONE, List.of(),
                "the connection's permissions do not include it")), decision.missing());
    }

    @Test
    void dashboardEditIsReadAsWriteAndStillImpliesRead() {
        PermissionGate.Decision decision = check(List.of("zone waf edit"), List.of(),
                new RequiredPermission(ZONE_WAF_WRITE, ZONE),
                new RequiredPermission(PermissionRule.of("zone", "Zone WAF Read"), ZONE));
        assertTrue(decision.allowed(), decision.toString());
        assertTrue(decision.warnings().isEmpty(), decision.warnings().toString());
    }

    @Test
    void anyAlternativeSatisfiesTheRule() {
        assertTrue(check(List.of("Account WAF Write"), List.of(), new RequiredPermission(ACCOUNT_RULES, ACCOUNT))
                .allowed());
    }

    @Test
    void noAlternativeNamesEveryAlternative() {
        PermissionGate.Decision decision = check(List.of("Zone Read"), List.of(),
                new RequiredPermission(ACCOUNT_RULES, ACCOUNT));
        MissingPermission missing = decision.missing().get(0);
        assertEquals("Account Rulesets Write", missing.permission());
        assertEquals(List.of("Account Rulesets Write", "Account WAF Write"), missing.alternatives());
        assertEquals("account", missing.scope());
        assertEquals(ACCOUNT, missing.resource());
    }

    @Test
    void zoneOutsideTheAllowListIsDeniedEvenWithTheGroup() {
        PermissionGate.Decision decision = check(List.of("Zone Read"), List.of(ZONE),
                new RequiredPermission(ZONE_READ, OTHER_ZONE));
        assertEquals(1, decision.missing().size());
        assertEquals(OTHER_ZONE, decision.missing().get(0).resource());
        assertTrue(decision.missing().get(0).reason().contains("allow-list"));
    }

    @Test
    void zoneInsideTheAllowListPasses() {
        assertTrue(check(List.of("Zone Read"), List.of(ZONE), new RequiredPermission(ZONE_READ, ZONE)).allowed());
    }

    @Test
    void everyZoneIsDeniedWhenTheConnectionHasAnAllowList() {
        assertFalse(check(List.of("Zone Read"), List.of(ZONE), new RequiredPermission(ZONE_READ, "*")).allowed());
    }

    @Test
    void anotherAccountIsDenied() {
        PermissionGate.Decision decision = check(List.of("Account WAF Write"), List.of(),
                new RequiredPermission(ACCOUNT_RULES, "ffffffffffffffffffffffffffffffff"));
        assertTrue(decision.missing().get(0).reason().contains("is for account " + ACCOUNT));
    }

    @Test
    void unknownPermissionsPassWithAWarningButTheAllowListStillHolds() {
        PermissionGate.Decision open = check(null, List.of(), new RequiredPermission(ZONE_WAF_WRITE, ZONE));
        assertTrue(open.allowed());
        assertTrue(open.warnings().get(0).contains("lists no permissions"));
        assertFalse(check(null, List.of(ZONE), new RequiredPermission(ZONE_WAF_WRITE, OTHER_ZONE)).allowed());
    }

    @Test
    void unrestrictedCredentialPassesWithAWarning() {
        Holder legacy = new Holder("legacy", "global_api_key", List.of(), settings(ACCOUNT, ZONE, List.of()));
        PermissionGate.Decision decision = PermissionGate.check(List.of(new RequiredPermission(ZONE_WAF_WRITE, ZONE)),
                legacy, TYPE, VOCABULARY);
        assertTrue(decision.allowed());
        assertTrue(decision.warnings().get(0).contains("global_api_key"));
    }

    @Test
    void unknownGroupInTheConnectionIsWarnedAboutAndGrantsNothing() {
        PermissionGate.Decision decision = check(List.of("Zone Reed"), List.of(), new RequiredPermission(ZONE_READ, ZONE));
        assertFalse(decision.allowed());
        assertTrue(decision.warnings().get(0).contains("'Zone Reed'"));
    }

    @Test
    void remediationIsTheTypesTextNamingWhatToGrantAndWhere() {
        PermissionGate.Decision decision = check(List.of(), List.of(), new RequiredPermission(ZONE_WAF_WRITE, ZONE));
        String remediation = PermissionGate.remediation(connection("http://x", "t0ken-value", List.of(), List.of()),
                TYPE, VOCABULARY, decision.missing());
        assertEquals(TYPE.permissionRemediation("test-conn", "Zone WAF Write on zone " + ZONE), remediation);
    }

    @Test
    void aTargetOutsideTheLimitSettingIsRefusedWhateverThePermissionsAndTheRemediationNamesTheSetting() {
        PermissionGate.Decision decision = check(List.of("Zone Read"), List.of(ZONE),
                new RequiredPermission(ZONE_READ, OTHER_ZONE));
        assertEquals("zone " + OTHER_ZONE + " is not in the connection's zones allow-list",
                decision.missing().get(0).reason());
        String remediation = PermissionGate.remediation(connection("http://x", "t0ken-value", List.of(), List.of(ZONE)),
                TYPE, VOCABULARY, decision.missing());
        assertTrue(remediation.contains("extend its zones"), remediation);
    }

    @Test
    void aRuleLeftOnItsDefaultIsBoundToTheInputsFieldElseTheConnectionsSetting() throws Exception {
        Holder holder = connection("http://x", "t", List.of(), List.of());
        List<RequiredPermission> fromInput = ResourceBinder.bind(List.of(RequiredPermission.onDefault(ZONE_READ)),
                JsonNodeFactory.instance.objectNode().put("zone_id", OTHER_ZONE), holder, VOCABULARY);
        assertEquals(OTHER_ZONE, fromInput.get(0).resource());
        List<RequiredPermission> fromSetting = ResourceBinder.bind(List.of(RequiredPermission.onDefault(ZONE_READ)),
                JsonNodeFactory.instance.objectNode(), holder, VOCABULARY);
        assertEquals(ZONE, fromSetting.get(0).resource());
    }

    @Test
    void aRuleWithNoResourceAnywhereIsAnInvalidInputNamingBoth() {
        Holder holder = new Holder("c", "api_token", List.of(), settings(ACCOUNT, null, List.of()));
        ResourceBinder.NoResource e = org.junit.jupiter.api.Assertions.assertThrows(ResourceBinder.NoResource.class,
                () -> ResourceBinder.bind(List.of(RequiredPermission.onDefault(ZONE_READ)),
                        JsonNodeFactory.instance.objectNode(), holder, VOCABULARY));
        assertEquals("no zone: the input has no zone_id and the connection has no zone_id", e.getMessage());
    }

    private static final PermissionRule WAF_READ_OPTIONAL = PermissionRule.optional("zone", "Zone WAF Read",
            "the WAF checks");

    @Test
    void aMissingOptionalRuleDoesNotRefuseAndIsReportedMissing() {
        PermissionGate.Decision decision = check(List.of("Zone Read"), List.of(),
                new RequiredPermission(ZONE_READ, ZONE), new RequiredPermission(WAF_READ_OPTIONAL, ZONE));
        assertTrue(decision.allowed());
        assertEquals(Map.of(WAF_READ_OPTIONAL, dev.quiver.api.PermissionGrant.MISSING), decision.optional());
    }

    @Test
    void aHeldOptionalRuleIsGrantedThroughImplication() {
        PermissionGate.Decision decision = check(List.of("Zone Read", "Zone WAF Write"), List.of(),
                new RequiredPermission(ZONE_READ, ZONE), new RequiredPermission(WAF_READ_OPTIONAL, ZONE));
        assertEquals(Map.of(WAF_READ_OPTIONAL, dev.quiver.api.PermissionGrant.GRANTED), decision.optional());
    }

    @Test
    void aMissingRequiredRuleStillRefusesWhateverTheOptionalOnes() {
        PermissionGate.Decision decision = check(List.of("Zone WAF Read"), List.of(),
                new RequiredPermission(ZONE_READ, ZONE), new RequiredPermission(WAF_READ_OPTIONAL, ZONE));
        assertFalse(decision.allowed());
        assertEquals(1, decision.missing().size());
        assertEquals(Map.of(WAF_READ_OPTIONAL, dev.quiver.api.PermissionGrant.GRANTED), decision.optional());
    }

    @Test
    void optionalRulesOfAnUnjudgedConnectionAreUnknownButOffLimitsResourcesAreMissing() {
        PermissionGate.Decision unknown = check(null, List.of(), new RequiredPermission(WAF_READ_OPTIONAL, ZONE));
        assertEquals(Map.of(WAF_READ_OPTIONAL, dev.quiver.api.PermissionGrant.UNKNOWN), unknown.optional());
        PermissionGate.Decision offLimits = check(null, List.of(ZONE),
                new RequiredPermission(WAF_READ_OPTIONAL, ZONE), new RequiredPermission(WAF_READ_OPTIONAL, OTHER_ZONE));
        assertTrue(offLimits.allowed());
        assertEquals(Map.of(WAF_READ_OPTIONAL, dev.quiver.api.PermissionGrant.MISSING), offLimits.optional(),
                "a rule bound to several resources keeps its weakest grant");
    }
}

package dev.quiver.runner.pipeline;

import dev.quiver.api.PermissionRule;
import dev.quiver.api.RequiredPermission;
import dev.quiver.runner.catalog.PermissionVocabulary;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.Credential;
import dev.quiver.runner.testing.TestSkills;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.quiver.runner.testing.TestSkills.ACCOUNT;
import static dev.quiver.runner.testing.TestSkills.OTHER_ZONE;
import static dev.quiver.runner.testing.TestSkills.TYPE;
import static dev.quiver.runner.testing.TestSkills.ZONE;
import static dev.quiver.runner.testing.TestSkills.connection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermissionGateTest {

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
        Connection legacy = new Connection("legacy", "acme", new Credential("global_api_key",
                Map.of("email", "soc@example.com", "key", "0123456789abcdef")),
                TestSkills.settings(ACCOUNT, ZONE, List.of()), List.of(), null);
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
}

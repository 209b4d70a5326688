package dev.quiver.cloudflare;

import dev.quiver.api.OAuthProfile;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.cloudflare.testing.PluginSkills;
import dev.quiver.sandbox.CloudflareSandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cloudflare OAuth profile: its data against the plugin's own vocabulary, skills and sandbox. */
class CloudflareOAuthProfileTest {

    private final CloudflareConnectionType type = new CloudflareConnectionType();
    private final OAuthProfile profile = type.oauth();

    @Test
    void everyPermissionTheProfileMapsIsInTheTypesVocabulary() {
        Set<String> vocabulary = type.permissionGroups().stream().map(PermissionGroup::name)
                .collect(Collectors.toSet());
        assertTrue(vocabulary.containsAll(profile.scopesByPermission().keySet()),
                "unknown: " + profile.scopesByPermission().keySet().stream().filter(p -> !vocabulary.contains(p))
                        .toList());
    }

    @Test
    void everySkillsRequiredRulesCanBeGrantedByOAuth() {
        List<String> ungrantable = new ArrayList<>();
        for (Skill skill : PluginSkills.all()) {
            for (PermissionRule rule : skill.descriptor().permissions()) {
                if (!rule.optional() && rule.anyOf().stream().noneMatch(profile.scopesByPermission()::containsKey)) {
                    ungrantable.add(skill.descriptor().id() + ": " + rule.anyOf());
                }
            }
        }
        assertEquals(List.of(), ungrantable);
    }

    @Test
    void everyScopeIsMarkedUnverifiedBecauseCloudflarePublishesNoMapping() {
        Set<String> scopes = profile.scopesByPermission().values().stream().flatMap(List::stream)
                .collect(Collectors.toSet());
        assertTrue(profile.unverifiedScopes().containsAll(scopes));
    }

    @Test
    void theSandboxGrantsWhatTheProfileExpectsOfEachScope() throws Exception {
        try (CloudflareSandbox sandbox = CloudflareSandbox.start(0)) {
            Map<String, List<String>> offered = sandbox.oauthScopes();
            assertTrue(offered.keySet().containsAll(profile.alwaysScopes()));
            profile.scopesByPermission().forEach((permission, scopes) -> scopes.forEach(scope ->
                    assertTrue(offered.getOrDefault(scope, List.of()).contains(permission),
                            "sandbox scope " + scope + " should grant " + permission)));
        }
    }

    @Test
    void firewallWriteAloneCoversReadingAndWritingRulesets() {
        assertEquals(List.of("offline_access", "firewall:write"),
                profile.scopesFor(List.of("Zone WAF Read", "Zone WAF Write")));
    }
}

package dev.quiver.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OAuthProfileTest {

    private static final OAuthProfile PROFILE = new OAuthProfile("https://auth.example", "/auth", "/token", null,
            "oauth", List.of("offline_access"), Map.of(
                    "repo:read", List.of("repo.read", "repo.write"),
                    "repo:write", List.of("repo.write"),
                    "audit:read", List.of("audit.read")),
            Set.of("audit.read"));

    @Test
    void aWritePermissionsScopeAlsoCoversTheReadPermissionSoOnlyOneIsRequested() {
        assertEquals(List.of("offline_access", "repo.write"), PROFILE.scopesFor(List.of("repo:read", "repo:write")));
    }

    @Test
    void aReadPermissionAloneGetsTheNarrowestScope() {
        assertEquals(List.of("offline_access", "audit.read", "repo.read"),
                PROFILE.scopesFor(List.of("repo:read", "audit:read")));
    }

    @Test
    void aPermissionNoScopeGrantsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PROFILE.scopesFor(List.of("billing:read")));
        assertTrue(e.getMessage().contains("billing:read"));
    }

    @Test
    void grantedScopesMapBackToThePermissionsTheyGrant() {
        assertEquals(Set.of("repo:read"), PROFILE.permissionsOf(List.of("offline_access", "repo.read")));
        assertEquals(Set.of("repo:read", "repo:write"), PROFILE.permissionsOf(List.of("repo.write")));
    }
}

package dev.quiver.runner.access;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionScopeTest {

    @Test
    void anUnrestrictedScopeAllowsEveryConnection() {
        assertTrue(ConnectionScope.all().allows("anything"));
        assertTrue(ConnectionScope.all().unrestricted());
    }

    @Test
    void idsMatchExactlyAndGlobsMatchAnyRunOfCharacters() {
        ConnectionScope scope = ConnectionScope.of(List.of("acme-*", "globex", "*-eu-*"));
        assertTrue(scope.allows("acme-"));
        assertTrue(scope.allows("acme-prod"));
        assertTrue(scope.allows("globex"));
        assertTrue(scope.allows("initech-eu-1"));
        assertFalse(scope.allows("globex-2"));
        assertFalse(scope.allows("xacme-prod"));
        assertFalse(scope.allows("initech-us-1"));
        assertFalse(scope.allows(null));
    }

    @Test
    void aPatternThatIsNoConnectionIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionScope.of(List.of("../etc")));
        assertThrows(IllegalArgumentException.class, () -> ConnectionScope.of(List.of("ACME")));
        assertThrows(IllegalArgumentException.class, () -> ConnectionScope.of(List.of()));
    }
}

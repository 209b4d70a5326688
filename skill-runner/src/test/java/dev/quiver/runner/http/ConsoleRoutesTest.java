package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's static files at / and GET /api/v1/me, which the console signs in with. */
class ConsoleRoutesTest {

    @TempDir
    Path dir;

    @Test
    void theConsoleIsServedWithoutAKeyUnderAStrictContentSecurityPolicy() throws Exception {
        try (Service service = Service.start(dir)) {
            Reply index = service.get("/", null);
            assertEquals(200, index.status(), index.body());
            assertTrue(index.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(index.body().contains("<div id=\"root\">"), index.body());
            String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.startsWith("default-src 'self'"), csp);
            assertTrue(csp.contains("script-src 'self';") && !csp.contains("unsafe-inline")
                    && !csp.contains("unsafe-eval"), "no inline or evaluated script: " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElse(null),
                    "index.html is revalidated, so a new build's assets are picked up");
            // the page has no inline script: every script is a file of the console's own
            Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(index.body());
            int count = 0;
            while (scripts.find()) {
                count++;
                assertTrue(scripts.group(1).contains("src=\"/assets/"), "an inline script: " + scripts.group());
            }
            assertTrue(count >= 1, index.body());

            Matcher asset = Pattern.compile("src=\"/assets/([^\"]+\\.js)\"").matcher(index.body());
            assertTrue(asset.find(), index.body());
            Reply script = service.get("/assets/" + asset.group(1), null);
            assertEquals(200, script.status());
            assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
            assertEquals("public, max-age=31536000, immutable", script.headers().firstValue("Cache-Control")
                    .orElse(null), "hashed names: cached for a year");
            assertEquals("nosniff", script.headers().firstValue("X-Content-Type-Options").orElse(null));
        }
    }

    @Test
    void anAssetOutsideTheConsolesFolderIsNotServed() throws Exception {
        try (Service service = Service.start(dir)) {
            for (String path : List.of("/assets/..%2Findex.html", "/assets/..%2F..%2Flogback.xml",
                    "/assets/missing-0000.js", "/assets/index.html", "/assets/%2e%2e")) {
                Reply reply = service.get(path, null);
                assertEquals(404, reply.status(), path + ": " + reply.body());
                assertEquals("NOT_FOUND", reply.json().at("/error/code").asText(), path);
            }
        }
    }

    @Test
    void meTellsEveryRoleItsKeyRoleAndTenantsAndTheConnectionsItMayUse() throws Exception {
        try (Service service = Service.start(dir)) {
            for (Role role : Role.values()) {
                Reply me = service.get("/api/v1/me", role);
                assertEquals(200, me.status(), me.body());
                assertEquals(role.jsonName(), me.json().path("role").asText());
                assertTrue(service.key(role).startsWith(me.json().path("id").asText() + "."), me.body());
                assertEquals(List.of("*"), Json.MAPPER.convertValue(me.json().path("tenants"), List.class));
                assertEquals("[{\"id\":\"sandbox\",\"type\":\"cloudflare\"}]", me.json().path("connections").toString(),
                        "ids and types only: no secret, no other field");
            }
            assertEquals(401, service.get("/api/v1/me", null).status());

            ObjectNode other = service.sandbox().connection();
            other.put("id", "acme-prod");
            service.runtime().connections().addRemote(other, "test");
            String scoped = service.runtime().keys().create(Role.ANALYST, ConnectionScope.of(List.of("acme-*")), null)
                    .key();
            JsonNode me = service.send("GET", "/api/v1/me", scoped, null, null).json();
            assertEquals(List.of("acme-*"), Json.MAPPER.convertValue(me.path("tenants"), List.class));
            assertEquals("[{\"id\":\"acme-prod\",\"type\":\"cloudflare\"}]", me.path("connections").toString(),
                    "only the connections in the key's scope");
            assertFalse(me.toString().contains(other.at("/auth/token").asText()), "no secret");
        }
    }
}

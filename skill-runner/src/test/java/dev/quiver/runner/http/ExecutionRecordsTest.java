package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Execution records through the service: complete, queryable, durable across a restart. */
class ExecutionRecordsTest {

    @TempDir
    Path dir;

    @Test
    void fiftyConcurrentExecutionsAreAllRecordedAndSurviveARestart() throws Exception {
        try (Service service = Service.start(dir)) {
            ExecutorService clients = Executors.newFixedThreadPool(50);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(clients.submit(() -> service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Reply> reply : replies) {
                Reply r = reply.get();
                assertEquals(200, r.status(), r.body());
                ids.add(r.json().path("execution_id").asText());
            }
            clients.shutdown();
            assertEquals(50, ids.size());
            assertEquals(ids, recordedIds(service, "skill=cloudflare_get_zone_details"));

            service.restart();

            assertEquals(ids, recordedIds(service, "skill=cloudflare_get_zone_details"), "after a restart");
            String one = ids.iterator().next();
            Reply record = service.get("/api/v1/executions/" + one, Role.VIEWER);
            assertEquals(200, record.status());
            JsonNode json = record.json();
            assertEquals("succeeded", json.path("status").asText());
            assertEquals("sandbox", json.path("connection").asText());
            assertEquals("http", json.path("source").asText());
            assertTrue(json.path("caller").asText().startsWith("qk_"), "the caller's key id");
            assertTrue(json.path("request_ids").get(0).asText().endsWith("-SBX"), "Cloudflare's request ids");
            assertTrue(json.path("output_bytes").asLong() > 0);
            assertEquals(json.path("output_bytes").asLong(), json.path("output").toString().length(),
                    "the record keeps the output");
            Reply missing = service.get("/api/v1/executions/ex_nope", Role.VIEWER);
            assertEquals(404, missing.status());
            assertTrue(missing.json().at("/error/message").asText().contains("ex_nope"), missing.body());
        }
    }

    @Test
    void recordsAreNewestFirstFilteredPagedAndKeepOnlyTheInputTheSchemaPinsDown() throws Exception {
        try (Service service = Service.start(dir)) {
            for (int i = 0; i < 3; i++) {
                service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}");
            }
            Reply failed = service.execute("cloudflare_get_audit_logs", Role.ANALYST,
                    "{\"actor_email\": \"mallory@example.com\", \"limit\": \"lots\"}");
            assertEquals(400, failed.status());

            JsonNode page = service.get("/api/v1/executions?limit=2", Role.VIEWER).json();
            assertEquals(2, page.path("executions").size());
            assertEquals(failed.json().at("/error/execution_id").asText(), page.at("/executions/0/id").asText(),
                    "newest first");
            JsonNode next = service.get("/api/v1/executions?limit=2&cursor=" + page.path("next_cursor").asText(),
                    Role.VIEWER).json();
            assertEquals(2, next.path("executions").size());
            assertFalse(next.has("next_cursor"), "four records: two pages");

            JsonNode failures = service.get("/api/v1/executions?status=failed", Role.VIEWER).json();
            assertEquals(1, failures.path("executions").size());
            JsonNode record = failures.at("/executions/0");
            assertEquals("INVALID_INPUT", record.path("error_code").asText());
            // A refused input keeps no value, not even one its schema pins down: only where and how it broke.
            assertFalse(record.path("input").toString().contains("mallory"), record.toString());
            assertEquals("/limit", record.at("/input/refused/0/pointer").asText(), record.toString());
            assertEquals("type", record.at("/input/refused/0/keyword").asText(), record.toString());
            assertEquals(1, record.at("/input/violations").asInt(), record.toString());
            assertEquals(400, service.get("/api/v1/executions?status=maybe", Role.VIEWER).status());
            assertEquals(400, service.get("/api/v1/executions?limit=0", Role.VIEWER).status());
        }
    }

    @Test
    void aViewerScopedToAcmeSeesOnlyAcmesRecordsAndAnotherConnectionsRecordIsNotFound() throws Exception {
        try (Service service = Service.start(dir)) {
            ObjectNode acme = service.sandbox().connection();
            acme.put("id", "acme-prod");
            service.runtime().connections().addRemote(acme, "test");
            Reply onAcme = service.post("/api/v1/skills/cloudflare_get_zone_details/executions", Role.ANALYST,
                    "{\"connection\": \"acme-prod\", \"input\": {}}");
            assertEquals(200, onAcme.status(), onAcme.body());
            Reply onSandbox = service.execute("cloudflare_get_zone_details", Role.ANALYST, "{}");
            assertEquals(200, onSandbox.status(), onSandbox.body());
            String acmeId = onAcme.json().path("execution_id").asText();
            String sandboxId = onSandbox.json().path("execution_id").asText();
            String scoped = service.runtime().keys().create(Role.VIEWER, ConnectionScope.of(List.of("acme-*")), null)
                    .key();

            JsonNode list = service.send("GET", "/api/v1/executions?limit=1000", scoped, null, null).json();
            Set<String> listed = new HashSet<>();
            list.path("executions").forEach(r -> listed.add(r.path("id").asText()));
            assertEquals(Set.of(acmeId), listed);
            assertFalse(list.at("/executions/0").has("output"), "the list leaves outputs out");
            assertEquals(0, service.send("GET", "/api/v1/executions?connection=sandbox", scoped, null, null).json()
                    .path("executions").size(), "asking for a connection outside the scope by name finds nothing");

            Reply own = service.send("GET", "/api/v1/executions/" + acmeId, scoped, null, null);
            assertEquals(200, own.status());
            assertTrue(own.json().path("output").isObject(), "one record shows its output");
            Reply other = service.send("GET", "/api/v1/executions/" + sandboxId, scoped, null, null);
            Reply missing = service.send("GET", "/api/v1/executions/ex_nope", scoped, null, null);
            assertEquals(404, other.status());
            assertEquals(404, missing.status());
            assertEquals(missing.json().at("/error/code"), other.json().at("/error/code"));
            assertEquals(missing.body().replace("ex_nope", "ID"), other.body().replace(sandboxId, "ID"),
                    "exactly as a missing id");
            assertEquals(200, service.get("/api/v1/executions/" + sandboxId, Role.VIEWER).status(),
                    "an unscoped viewer sees it");
        }
    }

    private static Set<String> recordedIds(Service service, String filter) {
        JsonNode page = service.get("/api/v1/executions?limit=1000&" + filter, Role.VIEWER).json();
        Set<String> ids = new HashSet<>();
        page.path("executions").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }
}

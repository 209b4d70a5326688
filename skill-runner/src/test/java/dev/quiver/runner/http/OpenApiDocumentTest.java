package dev.quiver.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.internal.QuiverVersion;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the service serves is the one micronaut-openapi generated from the controllers, and it
 * describes exactly the routes the router serves: none missing, none that is not served; each answer with its
 * schema, every error as the error object, and real answers are valid against what it says.
 */
class OpenApiDocumentTest {

    @TempDir
    Path dir;

    @Test
    void theServedDocumentDescribesEveryServedRouteAndNoOther() throws Exception {
        Map<String, Object> document;
        try (Service service = Service.start(dir)) {
            Reply reply = service.get("/openapi.yml", Role.VIEWER);
            assertEquals(200, reply.status(), reply.body());
            document = new Yaml().load(reply.body());
        }
        Set<String> documented = new TreeSet<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> Set.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));

        Set<String> served = new TreeSet<>();
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).banner(false)
                .start()) {
            // Micronaut answers HEAD beside every GET by itself; the document describes the GET.
            context.getBean(Router.class).uriRoutes().filter(r -> !r.getHttpMethodName().equals("HEAD"))
                    .forEach(r -> served.add(r.getHttpMethodName() + " " + r.getUriMatchTemplate().toPathString()));
        }
        assertTrue(served.size() >= 20, "the router's routes: " + served);
        assertEquals(served, documented, "documented routes against served routes");

        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) document.get("info");
        assertEquals(QuiverVersion.VALUE, info.get("version"), "the document's version is the build's");
    }

    @Test
    void healthIsTheOnlyOperationThatNeedsNoKey() throws Exception {
        try (Service service = Service.start(dir)) {
            Map<String, Object> document = new Yaml().load(service.get("/openapi.yml", Role.VIEWER).body());
            assertEquals(List.of(Map.of("apiKey", List.of())), document.get("security"), "a key by default");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Map<String, Object>>> paths =
                    (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
            // An empty requirement ({}) is OpenAPI's "no credential": the route is public.
            assertEquals(List.of(Map.of()), paths.get("/health").get("get").get("security"), "health is public");
            assertEquals(null, paths.get("/metrics").get("get").get("security"), "metrics takes the default: a key");
            assertEquals(401, service.get("/openapi.yml", null).status(), "the document needs a viewer key");
        }
    }

    private static final String ERROR_BODY = "#/components/schemas/ErrorBody";

    private JsonNode servedDocument(Service service) throws Exception {
        Reply reply = service.get("/openapi.yml", Role.VIEWER);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("application/yaml", reply.headers().firstValue("content-type").orElse(""));
        return Json.MAPPER.valueToTree(new Yaml().<Map<String, Object>>load(reply.body()));
    }

    @Test
    void everyJsonAnswerHasItsSchemaAndEveryErrorIsTheErrorObject() throws Exception {
        JsonNode document;
        try (Service service = Service.start(dir)) {
            document = servedDocument(service);
        }
        JsonNode components = document.at("/components/schemas");
        List<String> wrong = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String route = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                JsonNode responses = op.getValue().path("responses");
                boolean success = false;
                for (Iterator<Map.Entry<String, JsonNode>> codes = responses.fields(); codes.hasNext(); ) {
                    Map.Entry<String, JsonNode> code = codes.next();
                    int status = Integer.parseInt(code.getKey());
                    success |= status < 300;
                    JsonNode json = code.getValue().at("/content/application~1json/schema");
                    if (status < 300 && !json.isMissingNode() && !described(json, components)) {
                        wrong.add(route + " " + status + ": a bare schema " + json);
                    }
                    // MCP answers an unreadable message with a JSON-RPC error, as its specification says; health
                    // answers 503 with its own body, naming the store that cannot be read.
                    boolean own = path.getKey().equals("/mcp") && status == 400
                            || path.getKey().equals("/health") && status == 503;
                    if (status >= 400 && !own && !ERROR_BODY.equals(json.path("$ref").asText())) {
                        wrong.add(route + " " + status + ": not the error object " + code.getValue());
                    }
                }
                if (!success) {
                    wrong.add(route + ": no 2xx answer");
                }
                boolean open = op.getValue().path("security").equals(Json.MAPPER.valueToTree(List.of(Map.of())));
                for (String status : open ? List.<String>of() : List.of("401", "403")) {
                    if (!responses.has(status)) {
                        wrong.add(route + ": needs a key but does not declare " + status);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(List.of("code", "message"), List.of(components.at("/Error/required/0").asText(),
                components.at("/Error/required/2").asText()), components.path("Error").toString());
        assertEquals("#/components/schemas/Error", components.at("/ErrorBody/properties/error/$ref").asText());
    }

    /** A reference to a component with properties, or a schema that says more than "an object". */
    private static boolean described(JsonNode schema, JsonNode components) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            return components.path(ref.substring(ref.lastIndexOf('/') + 1)).path("properties").size() > 0;
        }
        return schema.path("properties").size() > 0 || schema.has("items")
                || !schema.path("type").asText("object").equals("object");
    }

    /**
     * Real answers, valid against the schema the document gives their route and status, and the requests that
     * asked for them against the request body's schema. For this check only, each
     * component with properties takes no other ones, so a field the service answers and the document does not list
     * fails here rather than going undocumented.
     */
    @Test
    void realAnswersAreValidAgainstTheDocumentsSchemas() throws Exception {
        try (Service service = Service.start(dir)) {
            JsonNode document = servedDocument(service);
            String zone = "/api/v1/skills/cloudflare_get_zone_details";
            String created = "{\"role\": \"viewer\", \"connections\": [\"acme-*\"], \"expires\": \"30d\"}";
            String run = "{\"connection\": \"sandbox\", \"input\": {}}";
            record Call(String method, String path, String template, Role role, String body, int status) {
            }
            List<Call> calls = List.of(
                    new Call("GET", "/health", "/health", null, null, 200),
                    new Call("GET", "/api/v1/skills", "/api/v1/skills", Role.VIEWER, null, 200),
                    new Call("GET", zone, "/api/v1/skills/{id}", Role.VIEWER, null, 200),
                    new Call("GET", "/api/v1/skills/nope", "/api/v1/skills/{id}", Role.VIEWER, null, 404),
                    new Call("POST", zone + "/executions", "/api/v1/skills/{id}/executions", Role.ANALYST, run, 200),
                    new Call("POST", zone + "/executions", "/api/v1/skills/{id}/executions", Role.ANALYST,
                            "{\"connection\": \"sandbox\", \"input\": {\"zone_id\": \"x\"}}", 400),
                    new Call("POST", zone + "/executions", "/api/v1/skills/{id}/executions", Role.VIEWER, run, 403),
                    new Call("GET", "/api/v1/executions", "/api/v1/executions", Role.VIEWER, null, 200),
                    new Call("GET", "/api/v1/executions", "/api/v1/executions", null, null, 401),
                    new Call("GET", "/api/v1/connections", "/api/v1/connections", Role.ADMIN, null, 200),
                    new Call("GET", "/api/v1/connections/sandbox", "/api/v1/connections/{id}", Role.ADMIN, null, 200),
                    new Call("POST", "/api/v1/connections", "/api/v1/connections", Role.ADMIN, service.sandbox()
                            .connection().put("id", "documented").toString(), 201),
                    new Call("POST", "/api/v1/connections/sandbox/test", "/api/v1/connections/{id}/test", Role.ADMIN,
                            "", 200),
                    new Call("GET", "/api/v1/plugins", "/api/v1/plugins", Role.ADMIN, null, 200),
                    new Call("GET", "/api/v1/keys", "/api/v1/keys", Role.ADMIN, null, 200),
                    new Call("POST", "/api/v1/keys", "/api/v1/keys", Role.ADMIN, created, 201),
                    new Call("DELETE", "/api/v1/keys/nope", "/api/v1/keys/{id}", Role.ADMIN, null, 404),
                    new Call("POST", "/mcp", "/mcp", Role.ANALYST, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\":"
                            + " \"ping\"}", 200),
                    new Call("POST", "/mcp", "/mcp", Role.ANALYST, "[1]", 400));
            JsonSchemas schemas = new JsonSchemas();
            List<String> wrong = new ArrayList<>();
            for (Call call : calls) {
                Reply reply = service.send(call.method(), call.path(), call.role() == null ? null
                        : service.key(call.role()), call.body() == null ? null : "application/json", call.body());
                assertEquals(call.status(), reply.status(), call + ": " + reply.body());
                JsonNode operation = document.path("paths").path(call.template())
                        .path(call.method().toLowerCase(Locale.ROOT));
                JsonNode request = operation.at("/requestBody/content/application~1json/schema");
                // The requests that succeed are valid against the request body's schema.
                if (call.status() < 300 && call.body() != null && !call.body().isEmpty() && request.has("$ref")) {
                    schemas.compile(asJsonSchema(request, document)).validate(Json.MAPPER.readTree(call.body()))
                            .listed().forEach(v -> wrong.add(call.method() + " " + call.path() + " request: "
                                    + v.pointer() + " " + v.message()));
                }
                JsonNode schema = operation.path("responses").path(String.valueOf(call.status()))
                        .at("/content/application~1json/schema");
                assertFalse(schema.isMissingNode(), call + ": the document gives no schema");
                CompiledSchema compiled = schemas.compile(asJsonSchema(schema, document));
                compiled.validate(reply.json()).listed().forEach(v -> wrong.add(call.method() + " " + call.path()
                        + " " + call.status() + ": " + v.pointer() + " " + v.message()));
            }
            assertEquals(List.of(), wrong);
        }
    }

    /** An OpenAPI 3.0 schema as JSON Schema 2020-12: its components beside it, nullable as a type. */
    private static JsonNode asJsonSchema(JsonNode schema, JsonNode document) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        ObjectNode components = document.path("components").path("schemas").deepCopy();
        components.fields().forEachRemaining(c -> {
            if (c.getValue().has("properties") && !c.getValue().has("additionalProperties")) {
                ((ObjectNode) c.getValue()).put("additionalProperties", false);
            }
        });
        root.putObject("components").set("schemas", components);
        nullable(root);
        return root;
    }

    private static void nullable(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("nullable").asBoolean(false)) {
            object.remove("nullable");
            if (object.has("type")) {
                ArrayNode types = Json.MAPPER.createArrayNode().add(object.get("type").asText()).add("null");
                object.set("type", types);
            } else {
                ObjectNode copy = object.deepCopy();
                object.removeAll();
                object.putArray("anyOf").add(copy).addObject().put("type", "null");
            }
        }
        node.forEach(OpenApiDocumentTest::nullable);
    }
}

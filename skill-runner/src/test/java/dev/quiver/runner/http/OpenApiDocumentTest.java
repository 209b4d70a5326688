package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.QuiverVersion;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the service serves is the one micronaut-openapi generated from the controllers, and it
 * describes exactly the routes the router serves: none missing, none that is not served.
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
}

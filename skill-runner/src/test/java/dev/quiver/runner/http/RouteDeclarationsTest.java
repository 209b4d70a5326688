package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each route declares who may call it on its controller method; one that does not is refused to every key. */
class RouteDeclarationsTest {

    static final String UNDECLARED = "quiver.test.undeclared-route";

    /** A route that forgot its {@link Allowed}: present only while a test sets {@link #UNDECLARED}. */
    @Requires(property = UNDECLARED, value = "true")
    @Controller("/api/v1/undeclared")
    static final class UndeclaredController {

        static final AtomicInteger CALLS = new AtomicInteger();

        @Get
        String run() {
            CALLS.incrementAndGet();
            return "ran";
        }
    }

    private static String describe(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName() + " " + route.getUriMatchTemplate();
    }

    @Test
    void everyRouteOfTheServiceDeclaresItsLeastRoleAndOnlyHealthTheOAuthCallbackAndTheConsolesFilesArePublic() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).banner(false)
                .start()) {
            List<UriRouteInfo<?, ?>> routes = context.getBean(Router.class).uriRoutes().toList();
            assertTrue(routes.size() >= 15, "the service's routes: " + routes.stream().map(
                    RouteDeclarationsTest::describe).toList());
            // Read as the access filter reads them.
            List<String> undeclared = routes.stream().filter(r -> !RouteAccess.of(r).open()
                    && RouteAccess.of(r).role().isEmpty()).map(RouteDeclarationsTest::describe).toList();
            assertEquals(List.of(), undeclared, "routes without @Allowed or @Public");
            // Micronaut adds a HEAD route beside each GET, with the GET's annotations.
            Set<String> open = routes.stream().filter(r -> RouteAccess.of(r).open())
                    .map(RouteDeclarationsTest::describe).collect(Collectors.toSet());
            // the OAuth callback: the browser has no key, the single-use state binds it to an admin's connect;
            // the console's static files: they hold no data, and the console signs in with a key to call the API
            assertEquals(Set.of("GET /health", "HEAD /health", "GET /api/v1/oauth/callback",
                    "HEAD /api/v1/oauth/callback", "GET /", "HEAD /", "GET /assets/{name}", "HEAD /assets/{name}"),
                    open);
            // A route about one connection is refused, before its body, for a key whose scope does not allow it.
            List<UriRouteInfo<?, ?>> aboutOne = routes.stream().filter(r -> r.getUriMatchTemplate().toPathString()
                    .startsWith("/api/v1/connections/{id}")).toList();
            assertTrue(aboutOne.size() >= 4, "GET, DELETE, test and connect: " + aboutOne);
            assertEquals(List.of(), aboutOne.stream().filter(r -> RouteAccess.of(r).inScope().isEmpty())
                    .map(RouteDeclarationsTest::describe).toList(), "connection routes without @InScope");
        }
    }

    @Test
    void aRouteThatDeclaresNoRoleIsRefusedEvenToAnAdminAndDoesNotRun(@TempDir Path dir) throws Exception {
        System.setProperty(UNDECLARED, "true");
        try (Service service = Service.start(dir)) {
            Reply reply = service.get("/api/v1/undeclared", Role.ADMIN);
            assertEquals(403, reply.status(), reply.body());
            assertEquals("PERMISSION_DENIED", reply.json().at("/error/code").asText());
            assertEquals(0, UndeclaredController.CALLS.get(), "the controller did not run");
            assertEquals(200, service.get("/health", null).status(), "a public route needs no key");
        } finally {
            System.clearProperty(UNDECLARED);
        }
    }
}

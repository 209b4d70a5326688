package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.RawHttp;
import dev.quiver.runner.testing.RawHttp.Answer;
import dev.quiver.runner.testing.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spellings of a route that a router may or may not normalise: each is either the same route with the same role
 * check, or no route (404/405). Never a controller run under a weaker check. Sent on a raw socket so that no client
 * normalises the path first.
 */
class RoutePathVariantsTest {

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static List<String> variants(String path) {
        int last = path.lastIndexOf('/');
        String parent = path.substring(0, last);
        String leaf = path.substring(last + 1);
        return List.of(path + "/", path + "//", parent + "//" + leaf, "/" + path, parent + "%2F" + leaf,
                parent + "%2f" + leaf, path + "%2F", path.toUpperCase(java.util.Locale.ROOT),
                parent + "/" + Character.toUpperCase(leaf.charAt(0)) + leaf.substring(1), parent + "/./" + leaf,
                path + "/.", parent + "/x/../" + leaf, parent + "/%2E/" + leaf, path + ";x", path + "%00",
                path + "%20", path + "/%2e%2e/" + leaf, path.replace("/api/", "/api/v1/../"));
    }

    private static Answer post(String target, Role role, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(service.port(), "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:"
                + " Bearer " + service.key(role) + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length, out -> out.write(bytes), Duration.ofSeconds(30));
    }

    private static Answer get(String target, Role role) throws Exception {
        return RawHttp.exchange(service.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:"
                + " Bearer " + service.key(role));
    }

    /** The statuses that prove no controller ran for a caller below the route's role. */
    private static final Set<Integer> REFUSED = Set.of(400, 403, 404, 405);

    @Test
    void aViewerIsRefusedTheBatchRouteUnderEverySpelling() throws Exception {
        long before = service.sandbox().requestCount();
        Map<String, String> ran = new LinkedHashMap<>();
        for (String target : variants("/api/v1/batch")) {
            Answer answer = post(target + "?connection=sandbox", Role.VIEWER,
                    "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {}}");
            if (!REFUSED.contains(answer.status()) || answer.status() == 400 && !answer.body().contains("\"error\"")) {
                ran.put(target, answer.status() + " " + answer.body());
            }
        }
        assertTrue(ran.isEmpty(), "a viewer got past the batch route's role check: " + ran);
        assertTrue(service.sandbox().requestCount() == before, "nothing reached the sandbox");
    }

    @Test
    void anAnalystIsRefusedTheAdminRoutesUnderEverySpelling() throws Exception {
        Map<String, String> ran = new LinkedHashMap<>();
        for (String target : variants("/api/v1/connections")) {
            Answer answer = get(target, Role.ANALYST);
            if (!REFUSED.contains(answer.status())) {
                ran.put("GET " + target, answer.status() + " " + answer.body());
            }
        }
        for (String target : variants("/api/v1/plugins")) {
            Answer answer = get(target, Role.ANALYST);
            if (!REFUSED.contains(answer.status())) {
                ran.put("GET " + target, answer.status() + " " + answer.body());
            }
        }
        for (String target : variants("/api/v1/connections/sandbox/test")) {
            Answer answer = post(target, Role.ANALYST, "");
            if (!REFUSED.contains(answer.status())) {
                ran.put("POST " + target, answer.status() + " " + answer.body());
            }
        }
        assertTrue(ran.isEmpty(), "an analyst got past an admin route's role check: " + ran);
    }

    @Test
    void aViewerIsRefusedRunningASkillUnderEverySpelling() throws Exception {
        long before = service.sandbox().requestCount();
        Map<String, String> ran = new LinkedHashMap<>();
        for (String target : variants("/api/v1/skills/cloudflare_get_zone_details/executions")) {
            Answer answer = post(target, Role.VIEWER, "{\"connection\": \"sandbox\", \"input\": {}}");
            if (!Set.of(403, 404, 405).contains(answer.status())) {
                ran.put(target, answer.status() + " " + answer.body());
            }
        }
        assertTrue(ran.isEmpty(), "a viewer got past the executions route's role check: " + ran);
        assertTrue(service.sandbox().requestCount() == before, "nothing reached the sandbox");
    }

    @Test
    void everySpellingThatReachesTheBatchRouteForAnAnalystIsTheBatchItself() throws Exception {
        Map<String, String> other = new LinkedHashMap<>();
        for (String target : variants("/api/v1/batch")) {
            Answer answer = post(target + "?connection=sandbox", Role.ANALYST,
                    "{\"skill\": \"cloudflare_get_zone_details\", \"input\": {}}");
            boolean batch = answer.status() == 200 && answer.body().startsWith("{\"line\":1");
            if (!batch && !Set.of(404, 405).contains(answer.status())) {
                other.put(target, answer.status() + " " + answer.body());
            }
        }
        assertTrue(other.isEmpty(), "neither the batch nor no route: " + other);
    }
}

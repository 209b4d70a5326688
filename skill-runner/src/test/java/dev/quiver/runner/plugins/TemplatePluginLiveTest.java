package dev.quiver.runner.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template's plugin (examples/plugin-template, built from scratch by this same build) as an operator meets it:
 * its archive installed into a running service over HTTP beside the Cloudflare plugin, its simulator started the way
 * {@code serve --sandbox} starts it, and both its skills run through the runner's gate; the write skill is refused
 * for a missing scope with nothing sent.
 */
class TemplatePluginLiveTest {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests so far");

    @TempDir
    Path dir;

    static Path templateArchive() throws Exception {
        Path folder = Path.of(System.getProperty("quiver.test.example-plugins", "target/example-plugins"));
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("lantern-plugin")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no template plugin in " + folder));
        }
    }

    @Test
    void theTemplatesPluginInstallsOverHttpAndBothSkillsRunThroughTheGate() throws Exception {
        byte[] archive = Files.readAllBytes(templateArchive());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        try (Service service = Service.start(dir)) {
            Reply installed = service.send("POST", "/api/v1/plugins?sha256=" + sha256, service.key(Role.ADMIN),
                    "application/zip", archive);
            assertTrue(installed.status() == 200 || installed.status() == 201, installed.body());
            assertEquals(List.of("lantern_isolate_host", "lantern_list_alerts"),
                    sorted((ArrayNode) installed.json().path("skills")), installed.body());

            Reply catalogue = service.get("/api/v1/skills", Role.VIEWER);
            assertTrue(catalogue.body().contains("lantern_list_alerts") && catalogue.body().contains(
                    "cloudflare_get_zone_details"), "both plugins serve: " + catalogue.body());

            List<Simulators.Offered> offered = Simulators.offered(service.runtime().plugins().contributions(),
                    "lantern");
            assertEquals(1, offered.size(), "the plugin brings its simulator");
            List<Simulators.Started> started = Simulators.start(offered, 0, Map.of());
            try {
                Simulators.Started simulator = started.get(0);
                ObjectNode connection = simulator.connection().deepCopy();
                assertEquals("lantern", connection.path("type").asText());
                connection.put("id", "lantern-demo");
                connection.putArray("permissions").add("alerts:read");
                Reply added = service.post("/api/v1/connections", Role.ADMIN, connection.toString());
                assertEquals(201, added.status(), added.body());

                Reply listed = service.post("/api/v1/skills/lantern_list_alerts/executions", Role.ANALYST,
                        "{\"connection\": \"lantern-demo\", \"input\": {\"severity\": \"high\"}}");
                assertEquals(200, listed.status(), listed.body());
                assertEquals("al_3", listed.json().at("/output/alerts/0/id").asText());
                assertEquals(1, requests(simulator));

                Reply refused = service.post("/api/v1/skills/lantern_isolate_host/executions", Role.RESPONDER,
                        "{\"connection\": \"lantern-demo\", \"input\": {\"host_id\": \"ws-0042\", \"reason\": \"x\"}}");
                assertEquals(403, refused.status(), refused.body());
                JsonNode error = refused.json().path("error");
                assertEquals("PERMISSION_DENIED", error.path("code").asText());
                assertEquals("hosts:isolate", error.at("/missing/0/permission").asText(), refused.body());
                assertEquals("organization", error.at("/missing/0/scope").asText(), refused.body());
                assertTrue(error.path("remediation").asText().contains("Lantern's console"), refused.body());
                assertEquals(1, requests(simulator), "the refused write sent nothing");
            } finally {
                started.forEach(Simulators.Started::close);
            }
        }
    }

    @Test
    void sandboxStartsEachInstalledPluginsSimulatorAndSandboxPluginStartsOnlyThatOne() throws Exception {
        Path plugins = dir.resolve("plugins");
        dev.quiver.runner.testing.PluginArchives.installCloudflarePlugin(plugins);
        Files.copy(templateArchive(), plugins.resolve(templateArchive().getFileName()));

        List<JsonNode> all = sandboxLines(plugins, 2, "sandbox");
        assertEquals(List.of("cloudflare", "lantern"), all.stream().map(c -> c.path("type").asText()).toList());
        assertEquals(List.of("sandbox", "lantern-sandbox"), all.stream().map(c -> c.path("id").asText()).toList());

        List<JsonNode> one = sandboxLines(plugins, 1, "sandbox", "lantern");
        assertEquals("lantern", one.get(0).path("type").asText());
        assertEquals("sandbox", one.get(0).path("id").asText(), "the first simulator's connection is 'sandbox'");
        assertTrue(one.get(0).path("base_url").asText().startsWith("http://127.0.0.1:"));
    }

    /** Runs the CLI's {@code args} in a thread, reads {@code lines} JSON lines from its stdout, then stops it. */
    private List<JsonNode> sandboxLines(Path plugins, int lines, String... args) throws Exception {
        java.io.PipedInputStream stdout = new java.io.PipedInputStream();
        java.io.PrintStream out = new java.io.PrintStream(new java.io.PipedOutputStream(stdout), true,
                java.nio.charset.StandardCharsets.UTF_8);
        List<String> command = new java.util.ArrayList<>(List.of("--home", dir.resolve("home").toString(),
                "--plugins", plugins.toString()));
        command.addAll(List.of(args));
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread thread = new Thread(() -> exit.set(dev.quiver.runner.cli.Main.run(command.toArray(String[]::new),
                name -> null, new java.io.ByteArrayInputStream(new byte[0]), out,
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                        java.nio.charset.StandardCharsets.UTF_8))));
        thread.setDaemon(true);
        thread.start();
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(stdout,
                java.nio.charset.StandardCharsets.UTF_8));
        List<JsonNode> read = new java.util.ArrayList<>();
        for (int i = 0; i < lines; i++) {
            read.add(Json.MAPPER.readTree(reader.readLine()));
        }
        thread.interrupt();
        thread.join(5000);
        assertEquals(0, exit.get(), "sandbox exits 0 when stopped");
        return read;
    }

    private static int requests(Simulators.Started simulator) {
        Matcher m = REQUESTS.matcher(simulator.running().describe());
        assertTrue(m.find(), simulator.running().describe());
        return Integer.parseInt(m.group(1));
    }

    private static List<String> sorted(ArrayNode names) {
        return Json.MAPPER.convertValue(names, List.class).stream().map(String::valueOf).sorted().toList();
    }
}

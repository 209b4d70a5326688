package dev.quiver.runner.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's console command on the packaged jar: {@code java -jar skill-runner.jar serve --sandbox} serves the
 * console at / from inside the jar, and the admin key it prints signs in. Runs after {@code package}.
 */
class ConsoleJarIT {

    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+) ");

    @TempDir
    Path dir;

    @Test
    void servingWithTheSandboxFromTheJarServesTheConsoleAndThePrintedKeySignsIn() throws Exception {
        PluginArchives.installCloudflarePlugin(dir.resolve("plugins"));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("quiver.test.jar", "target/skill-runner.jar"), "--home",
                dir.resolve("home").toString(), "--plugins", dir.resolve("plugins").toString(), "serve", "--port",
                "0", "--sandbox");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String base = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); base == null
                    && System.nanoTime() < deadline; ) {
                Matcher serving = SERVING.matcher(Files.readString(err, StandardCharsets.UTF_8));
                if (serving.find()) {
                    base = serving.group(1);
                } else {
                    assertTrue(process.isAlive(), "serve stopped: " + Files.readString(err));
                    Thread.sleep(200);
                }
            }
            assertTrue(base != null, "serve did not start: " + Files.readString(err));
            String key = Json.MAPPER.readTree(Files.readAllLines(out).get(0)).path("key").asText();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>Quiver console</title>"), page.body());
            Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page.body());
            assertTrue(script.find(), page.body());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + script.group(1))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the script is in the jar");

            HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, me.statusCode(), me.body());
            JsonNode who = Json.MAPPER.readTree(me.body());
            assertEquals("admin", who.path("role").asText());
            assertEquals("sandbox", who.at("/connections/0/id").asText(), "the sandbox is there to run skills on");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

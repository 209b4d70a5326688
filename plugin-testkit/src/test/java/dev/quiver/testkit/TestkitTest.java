package dev.quiver.testkit;

import dev.quiver.api.AuthMethod;
import dev.quiver.api.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestkitTest {

    private static final AuthMethod KEY = new AuthMethod("api_key", List.of("key"), Map.of("X-Key", "k={key}"));

    @Test
    void theArchiveHasThePf4jLayoutAndRequiresThisApisMajorVersion(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/META-INF"));
        Files.writeString(classes.resolve("extensions.idx"), "com.example.Skill\n");
        Path zip = PluginArchive.of("demo", "1.2.3", "").classes(dir.resolve("classes")).write(dir.resolve("d.zip"));
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String properties = new String(file.getInputStream(file.getEntry("plugin.properties")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(properties.contains("plugin.requires=>=1.0.0 & <2.0.0"), properties);
            assertTrue(properties.contains("plugin.version=1.2.3"), properties);
            assertTrue(file.getEntry("lib/demo.jar") != null);
        }
    }

    @Test
    void headersAreTheTemplatesFilledWithTheSecrets() {
        assertEquals(Map.of("X-Key", "k=s3cret"), TestTransport.headers(KEY, Map.of("key", "s3cret")));
        assertThrows(IllegalArgumentException.class, () -> TestTransport.headers(KEY, Map.of()));
    }

    @Test
    void theTransportRefusesAPathLeavingTheBaseUrlAndAPluginSettingTheCredentialHeader() {
        TestTransport transport = new TestTransport("http://127.0.0.1:9/api", KEY, Map.of("key", "s"), null,
                Instant.now().plusSeconds(5));
        assertThrows(IllegalArgumentException.class, () -> transport.send(HttpRequest.get("/../../elsewhere")));
        assertThrows(IllegalArgumentException.class, () -> transport.send(HttpRequest.get("//evil.example/x")));
        assertThrows(IllegalArgumentException.class, () -> transport.send(new HttpRequest("GET", "/x",
                Map.of("x-key", "mine"), null, null)));
        assertEquals(0, transport.sent(), "nothing refused was sent");
    }
}

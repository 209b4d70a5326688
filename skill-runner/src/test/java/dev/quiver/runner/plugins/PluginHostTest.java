package dev.quiver.runner.plugins;

import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.testing.PluginArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginHostTest {

    @Test
    void goodPluginKeepsWorkingBesideBrokenArchives(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        Files.writeString(plugins.resolve("garbage.zip"), "this is not a zip");
        Files.writeString(plugins.resolve("garbage.jar"), "nor is this a jar");
        PluginArchives.zip(plugins.resolve("no-descriptor.zip"), Map.of("README.txt", "hello".getBytes()));
        PluginArchives.zip(plugins.resolve("missing-class.zip"), Map.of("plugin.properties",
                PluginArchives.properties("missing-class", "dev.quiver.nowhere.MissingPlugin", ">=0.1.0")));
        PluginArchives.zip(plugins.resolve("from-the-future.zip"), Map.of("plugin.properties",
                PluginArchives.properties("from-the-future", "", ">=99.0.0")));
        PluginArchives.failsOnStartPlugin(plugins.resolve("throws-on-start.zip"), "throws-on-start");

        try (PluginHost host = PluginHost.load(List.of(plugins), QuiverRuntime.VERSION)) {
            Map<String, PluginReport> byId = host.reports().stream()
                    .collect(Collectors.toMap(PluginReport::id, r -> r));

            assertEquals("started", byId.get("cloudflare-skills").state());
            SkillCatalog catalog = SkillCatalog.build(host.contributions(), new JsonSchemas());
            assertTrue(catalog.find("cloudflare_get_zone_details").isPresent());
            assertTrue(catalog.find("cloudflare_verify_connection").isPresent());

            assertReason(byId, "garbage.zip", "not a plugin archive");
            assertReason(byId, "garbage.jar", "not a plugin archive");
            assertEquals("failed", byId.get("no-descriptor.zip").state(), byId.toString());
            assertReason(byId, "missing-class", "plugin class dev.quiver.nowhere.MissingPlugin is not in the archive");
            assertEquals("disabled", byId.get("from-the-future").state());
            assertReason(byId, "from-the-future", "requires Quiver >=99.0.0; this is Quiver 0.1.0");
            assertReason(byId, "throws-on-start", "refuses to start");
            assertEquals(7, host.reports().size(), host.reports().toString());
        }
    }

    @Test
    void sharedPackagesComeFromTheRunnerAndThePluginsOwnClassesFromThePlugin(@TempDir Path dir) throws Exception {
        PluginArchives.installCloudflarePlugin(dir);
        try (PluginHost host = PluginHost.load(List.of(dir), QuiverRuntime.VERSION)) {
            var skill = host.contributions().get(0).skills().get(0);
            assertNotSame(getClass().getClassLoader(), skill.getClass().getClassLoader());
            assertEquals(com.fasterxml.jackson.databind.JsonNode.class,
                    skill.getClass().getClassLoader().loadClass("com.fasterxml.jackson.databind.JsonNode"));
            assertEquals(dev.quiver.api.Skill.class,
                    skill.getClass().getClassLoader().loadClass("dev.quiver.api.Skill"));
        }
    }

    @Test
    void missingPluginsFolderYieldsNoPluginsAndNoError(@TempDir Path dir) {
        try (PluginHost host = PluginHost.load(List.of(dir.resolve("absent")), QuiverRuntime.VERSION)) {
            assertTrue(host.reports().isEmpty());
            assertTrue(host.contributions().isEmpty());
        }
    }

    private static void assertReason(Map<String, PluginReport> byId, String id, String expected) {
        PluginReport report = byId.get(id);
        assertTrue(report != null && report.reason() != null && report.reason().contains(expected),
                id + ": " + report);
    }
}

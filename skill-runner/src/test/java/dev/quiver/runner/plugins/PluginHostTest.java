package dev.quiver.runner.plugins;

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
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

        try (PluginHost host = PluginHost.load(List.of(plugins), dev.quiver.api.ApiVersion.CURRENT)) {
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
            assertReason(byId, "from-the-future", "requires plugin API >=99.0.0; this runner provides plugin API 1.0.0");
            assertReason(byId, "throws-on-start", "refuses to start");
            assertEquals(7, host.reports().size(), host.reports().toString());
        }
    }

    @Test
    void aCopyShadowedByTheHomesIsReportedButNotWarnedAboutOnEveryCommand(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home-plugins");
        Path build = dir.resolve("build-plugins");
        PluginArchives.installCloudflarePlugin(home);
        PluginArchives.installCloudflarePlugin(build);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(PluginHost.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        try (PluginHost host = PluginHost.load(List.of(home, build), dev.quiver.api.ApiVersion.CURRENT)) {
            assertEquals(List.of("shadowed", "started"), host.reports().stream().map(PluginReport::state).sorted()
                    .toList());
            assertTrue(events.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(
                    ch.qos.logback.classic.Level.WARN)), events.list.toString());
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void sharedPackagesComeFromTheRunnerAndThePluginsOwnClassesFromThePlugin(@TempDir Path dir) throws Exception {
        PluginArchives.installCloudflarePlugin(dir);
        try (PluginHost host = PluginHost.load(List.of(dir), dev.quiver.api.ApiVersion.CURRENT)) {
            var skill = host.contributions().get(0).skills().get(0);
            assertNotSame(getClass().getClassLoader(), skill.getClass().getClassLoader());
            assertEquals(com.fasterxml.jackson.databind.JsonNode.class,
                    skill.getClass().getClassLoader().loadClass("com.fasterxml.jackson.databind.JsonNode"));
            assertEquals(dev.quiver.api.Skill.class,
                    skill.getClass().getClassLoader().loadClass("dev.quiver.api.Skill"));
        }
    }

    @Test
    void anArchiveIsMeasuredByTheBytesItInflatesNotTheSizesItDeclares(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path zip = PluginArchives.declaringSize(PluginArchives.probeBomb(dir.resolve("liar.zip"), 2L << 20), 10);
        try (ZipFile read = new ZipFile(zip.toFile())) {
            assertEquals(10, read.getEntry("classes/zeros.bin").getSize(), "the archive lies about its size");
        }
        Path jar = Files.copy(zip, dir.resolve("liar.jar"));

        try (PluginHost host = PluginHost.load(List.of(plugins), plugins, dev.quiver.api.ApiVersion.CURRENT,
                new ArchiveLimits(1L << 20, 100))) {
            for (Path archive : List.of(zip, jar)) {
                PluginRefused refused = assertThrows(PluginRefused.class,
                        () -> host.stage(archive, InstallPolicy.NEWER_ONLY));
                assertEquals(PluginRefused.Kind.TOO_LARGE, refused.kind(), refused.getMessage());
                assertTrue(refused.getMessage().contains("expands to more than 1048576 bytes"), refused.getMessage());
            }
            try (Stream<Path> files = Files.walk(plugins)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no partial files");
            }
        }
    }

    @Test
    void idsAndVersionsFollowTheirRules() {
        for (String id : List.of("probe", "cloudflare-skills", "a", "x.y_z-9", "0" + "a".repeat(63))) {
            assertTrue(PluginIdentity.validId(id), id);
        }
        for (String id : List.of("", "Probe", "../x", "a/b", ".hidden", "-dash", "a b", "a\nb", "a".repeat(65))) {
            assertFalse(PluginIdentity.validId(id), id);
        }
        for (String version : List.of("0.0.1", "1.2.3", "10.20.30", "1.0.0-rc.1", "1.0.0-alpha-1+build.5",
                "0.1.0-SNAPSHOT")) {
            assertTrue(PluginIdentity.validVersion(version), version);
        }
        for (String version : List.of("1.0", "1", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0/../x",
                "1.0.0+", "1.0.0-" + "a".repeat(60))) {
            assertFalse(PluginIdentity.validVersion(version), version);
        }
    }

    @Test
    void missingPluginsFolderYieldsNoPluginsAndNoError(@TempDir Path dir) {
        try (PluginHost host = PluginHost.load(List.of(dir.resolve("absent")), dev.quiver.api.ApiVersion.CURRENT)) {
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

package dev.quiver.runner.catalog;

import dev.quiver.runner.plugins.Archives;
import dev.quiver.runner.plugins.InstallPolicy;
import dev.quiver.runner.plugins.LoadedPlugin;
import dev.quiver.runner.plugins.PluginHost;
import dev.quiver.runner.plugins.PluginRemoval;
import dev.quiver.runner.plugins.Contribution;
import dev.quiver.runner.plugins.PluginRefused;
import dev.quiver.runner.plugins.PluginReport;
import dev.quiver.runner.schema.JsonSchemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The catalogue as plugins come and go while Quiver runs. An install is checked in full (the archive loads, starts,
 * and every skill it brings passes the catalogue's checks) before anything changes; then the new catalogue replaces
 * the old one in one step, so an execution sees either the old skills or the new ones.
 */
public final class LiveCatalog implements Supplier<SkillCatalog>, AutoCloseable {

    private final PluginHost host;
    private final JsonSchemas schemas;
    private final AtomicReference<SkillCatalog> current;

    public LiveCatalog(PluginHost host, JsonSchemas schemas) {
        this.host = host;
        this.schemas = schemas;
        this.current = new AtomicReference<>(SkillCatalog.build(host.contributions(), schemas));
    }

    /** The catalogue now. */
    @Override
    public SkillCatalog get() {
        return current.get();
    }

    public PluginHost plugins() {
        return host;
    }

    /**
     * What an install did.
     *
     * @param plugin   the installed plugin's report
     * @param skills   the skills it brought
     * @param replaced the version it replaced, or {@code null}
     * @param sha256   the archive's SHA-256
     */
    public record Installed(PluginReport plugin, List<String> skills, String replaced, String sha256) {
    }

    /**
     * Installs the plugin archive at {@code archive}; nothing changes unless it passes every check.
     *
     * @param expectedSha256 the archive's expected SHA-256 (hex), or {@code null}
     * @param policy         which version may replace the started plugin with the same id
     * @throws PluginRefused with the reason when the archive is refused
     */
    public synchronized Installed install(Path archive, String expectedSha256, InstallPolicy policy)
            throws PluginRefused {
        String name = archive.getFileName().toString();
        String sha256;
        try {
            sha256 = Archives.sha256(archive);
        } catch (IOException e) {
            throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                    "cannot read the archive: " + e.getMessage()));
        }
        if (expectedSha256 != null && !expectedSha256.strip().toLowerCase(Locale.ROOT).equals(sha256)) {
            throw new PluginRefused(new PluginReport(name, null, archive.toString(), "failed",
                    "SHA-256 mismatch: expected " + expectedSha256.strip() + ", the archive's is " + sha256));
        }
        // Installs are serialised here, so the version policy's view of the started plugin holds until commit.
        LoadedPlugin staged = host.stage(archive, policy);
        List<Contribution> contributions = new ArrayList<>(host.contributions().stream()
                .filter(c -> !c.pluginId().equals(staged.id())).toList());
        contributions.add(staged.contribution());
        SkillCatalog candidate = SkillCatalog.build(contributions, schemas);
        List<String> problems = candidate.rejections().stream().filter(r -> r.pluginId().equals(staged.id()))
                .map(r -> r.what() + ": " + r.reason()).toList();
        if (staged.contribution().skills().isEmpty() && staged.contribution().connectionTypes().isEmpty()) {
            problems = List.of("it contributes no skill and no connection type");
        }
        if (!problems.isEmpty()) {
            host.discard(staged);
            throw staged.refusal("failed", "refused by the catalogue's checks: " + String.join("; ", problems));
        }
        Optional<LoadedPlugin> replaced;
        try {
            replaced = host.commit(staged);
        } catch (IOException e) {
            host.discard(staged);
            throw staged.refusal("failed", "cannot keep the archive in the plugins folder: " + e.getMessage());
        }
        current.set(candidate);
        List<String> skills = candidate.entries().stream().filter(e -> e.pluginId().equals(staged.id()))
                .map(CatalogEntry::id).toList();
        LoadedPlugin installed = host.find(staged.id()).orElse(staged);
        return new Installed(installed.report("started", null), skills,
                replaced.map(LoadedPlugin::version).orElse(null), sha256);
    }

    /**
     * Removes a plugin: its skills leave the catalogue at once; it is unloaded when its running executions finish.
     *
     * @return the removal, whose {@code unloaded} completes then; empty when no plugin has this id
     */
    public synchronized Optional<PluginRemoval> remove(String pluginId) {
        try {
            Optional<PluginRemoval> removal = host.remove(pluginId);
            removal.ifPresent(r -> current.set(SkillCatalog.build(host.contributions(), schemas)));
            return removal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove plugin " + pluginId, e);
        }
    }

    @Override
    public void close() {
        host.close();
    }
}

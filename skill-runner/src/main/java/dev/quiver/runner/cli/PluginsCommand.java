package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.plugins.InstallPolicy;
import dev.quiver.runner.plugins.PluginRefused;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "plugins", description = "Lists the plugins found, including those that failed to load and why.",
        subcommands = {PluginsCommand.Install.class, PluginsCommand.Remove.class})
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        QuiverRuntime runtime = root.runtime(RecordsOpening.ON_FIRST_USE);
        ArrayNode plugins = ContractJson.plugins(runtime.plugins().reports(), runtime.catalog());
        if (json) {
            root.printJson(plugins);
            return ExitCodes.OK;
        }
        for (JsonNode plugin : plugins) {
            root.out().println(plugin.path("id").asText() + " " + plugin.path("version").asText("-") + "  "
                    + plugin.path("state").asText() + "  " + plugin.path("path").asText());
            if (plugin.has("reason")) {
                root.out().println("    reason: " + plugin.path("reason").asText());
            }
            if (!plugin.path("skills").isEmpty()) {
                root.out().println("    skills: " + String.join(", ", texts(plugin.path("skills"))));
            }
            for (JsonNode rejected : plugin.path("rejected")) {
                root.out().println("    rejected " + rejected.path("what").asText() + ": "
                        + rejected.path("reason").asText());
            }
        }
        if (plugins.isEmpty()) {
            root.out().println("No plugins found.");
        }
        return ExitCodes.OK;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Command(name = "install", description = {"Installs a plugin archive (zip or jar) into the home's plugins folder"
            + " after checking it: it loads, starts, and every skill it brings passes the catalogue's checks.",
            "A newer version of an installed plugin replaces it; an older one only with --allow-downgrade, the same"
            + " one only with --force. A refused archive changes nothing. A running"
            + " service picks up installs made through its own API (POST /api/v1/plugins); this command is for"
            + " the next start."})
    static final class Install implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "FILE", description = "The plugin archive.")
        Path file;

        @Option(names = "--sha256", paramLabel = "HEX", description = "Refuse the archive unless its SHA-256 is this.")
        String sha256;

        @Option(names = "--allow-downgrade", description = "Let an older version replace the installed one.")
        boolean allowDowngrade;

        @Option(names = "--force", description = "Let the same version replace the installed one (a reinstall).")
        boolean force;

        @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
                description = "Show the time taken on stderr once the install takes over a second: auto (on a"
                        + " terminal), always or never (default: ${DEFAULT-VALUE}).")
        ProgressDisplay.Mode progress;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            if (!Files.isRegularFile(file)) {
                root.err().println("quiver: no such file: " + file);
                return ExitCodes.USAGE;
            }
            try {
                root.printJson(ContractJson.installed(ProgressDisplay.whileRunning(progress, root.errStream(),
                        "installing " + file.getFileName(), Duration.ofSeconds(1),
                        () -> root.runtime(RecordsOpening.ON_FIRST_USE).liveCatalog().install(file, sha256,
                                new InstallPolicy(allowDowngrade, force)))));
                return ExitCodes.OK;
            } catch (PluginRefused refused) {
                String remediation = refused.override()
                        .map(flag -> "Nothing was changed. To install it anyway, add --" + flag.replace('_', '-') + ".")
                        .orElse("Nothing was changed.");
                return root.fail(new Failure(ErrorCode.INVALID_INPUT, "the plugin archive was refused: "
                        + refused.getMessage(), refused.details(), remediation, List.of()));
            }
        }
    }

    @Command(name = "remove", description = "Removes an installed plugin (its archive leaves the plugins folder).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "ID", description = "The plugin's id, as 'plugins' lists it.")
        String id;

        @Override
        public Integer call() throws Exception {
            QuiverRoot root = parent.root;
            var removal = root.runtime(RecordsOpening.ON_FIRST_USE).liveCatalog().remove(id);
            if (removal.isEmpty()) {
                // NOT_FOUND, as DELETE /api/v1/plugins/{id} answers; exit 2 (a wrong argument), not 5 (the vendor's)
                root.printJson(ContractJson.error(Failure.of(ErrorCode.NOT_FOUND, "no started plugin has the id '"
                        + id + "'", "'plugins' lists the plugins."), null, java.util.List.of()));
                return ExitCodes.USAGE;
            }
            removal.get().unloaded().get();
            root.printJson(Json.MAPPER.createObjectNode().put("removed", id)
                    .put("version", removal.get().plugin().version()));
            return ExitCodes.OK;
        }
    }
}

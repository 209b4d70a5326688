package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.view.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "plugins", description = "Lists the plugins found, including those that failed to load and why.")
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    QuiverCommand root;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        QuiverRuntime runtime = root.runtime();
        ArrayNode plugins = Views.plugins(runtime.plugins().reports(), runtime.catalog());
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
}

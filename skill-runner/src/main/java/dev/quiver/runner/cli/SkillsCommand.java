package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.api.PermissionRule;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "skills", description = "Lists the installed skills: id, access, title, required permissions.")
final class SkillsCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        List<CatalogEntry> entries = root.runtime(RecordsOpening.ON_FIRST_USE).catalog().entries();
        if (json) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            entries.forEach(e -> array.add(ContractJson.summary(e)));
            root.printJson(array);
            return ExitCodes.OK;
        }
        int width = Math.max(2, entries.stream().mapToInt(e -> e.id().length()).max().orElse(2));
        String row = "%-" + width + "s  %-6s  %-28s  %s";
        root.out().println(String.format(row, "ID", "ACCESS", "TITLE", "REQUIRED PERMISSIONS"));
        for (CatalogEntry entry : entries) {
            root.out().println(String.format(row, entry.id(),
                    entry.descriptor().access().name().toLowerCase(Locale.ROOT), entry.descriptor().title(),
                    permissions(entry.descriptor().permissions())));
        }
        if (entries.isEmpty()) {
            root.err().println("No skills installed: 'plugins' shows what was found and why it did not load.");
        }
        return ExitCodes.OK;
    }

    private static String permissions(List<PermissionRule> rules) {
        if (rules.isEmpty()) {
            return "none";
        }
        return String.join("; ", rules.stream().map(r -> String.join(" or ", r.anyOf()) + " (" + r.scope()
                + (r.optional() ? ", optional: " + r.when() : r.when() == null ? "" : ", when " + r.when()) + ")")
                .toList());
    }
}

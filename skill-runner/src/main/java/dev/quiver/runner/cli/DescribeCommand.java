package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "describe", description = "Prints a skill's descriptor as JSON: schemas, access, permissions.")
final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    QuiverRoot root;

    @Parameters(paramLabel = "SKILL_ID", description = "The skill's id, as 'skills' lists it.")
    String skillId;

    @Override
    public Integer call() {
        SkillCatalog catalog = root.runtime(RecordsOpening.ON_FIRST_USE).catalog();
        Optional<CatalogEntry> entry = catalog.find(skillId);
        if (entry.isEmpty()) {
            root.printJson(ContractJson.error(Failure.of(ErrorCode.UNKNOWN_SKILL, catalog.unknownSkillMessage(skillId),
                    "List the installed skills with 'skills'."), null, null));
            return ExitCodes.USAGE;
        }
        root.printJson(ContractJson.descriptor(entry.get()));
        return ExitCodes.OK;
    }
}

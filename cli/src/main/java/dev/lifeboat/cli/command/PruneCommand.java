package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.manage.PrunePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat prune}: apply retention policies; a dry run unless given the plan's token. */
@Command(
        name = "prune",
        description = {
            "Apply each database's retention policy. Without --confirm it is a dry run: it lists what would be"
                    + " removed and which rule keeps each survivor, with the token that removes exactly that."
        })
public final class PruneCommand extends DestructiveCommand {
    @Option(names = "--database", paramLabel = "NAME", description = "Only this configured database.")
    String database;

    @Mixin
    StoreOption store;

    @Override
    protected int run(BackupService service) {
        Outcome<PrunePlan, PrunePlan> outcome =
                track(context -> service.requestPrune(database, store.name(), token(), context));
        if (outcome.confirmationRequired()) {
            PrunePlan plan = outcome.plan();
            String next = withSharedOptions(new CommandText("lifeboat", "prune")
                            .option("--database", database)
                            .option("--store", store.name())
                            .option("--confirm", plan.confirmation().token()))
                    .toString();
            // a dry run is the default and a success; --plan says the same explicitly
            showPlan("planned", plan, PlanText.prunePlan(plan), next);
            return ExitCodes.OK;
        }
        PrunePlan done = outcome.result();
        if (token() == null) {
            out().result(new Documents.Plan("nothing_to_prune", done, null), PlanText.prunePlan(done));
        } else {
            out().result(new Documents.Plan("pruned", done, null), "pruned: " + PlanText.prunePlan(done));
        }
        return ExitCodes.OK;
    }
}

package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.manage.DeletePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat backup delete <id>}. */
@Command(
        name = "delete",
        description = {
            "Delete a backup (manifest first, then data). Destructive: needs --confirm TOKEN from a --plan run,"
                    + " or, at a terminal, typing the backup id."
        })
public final class BackupDeleteCommand extends DestructiveCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup to delete.")
    String backupId;

    @Mixin
    StoreOption store;

    @Option(
            names = "--allow-last",
            description = "Also delete a backup the plan guards: the last backup of its source, or the last one"
                    + " with a passing restore drill.")
    boolean allowLast;

    @Override
    protected int run(BackupService service) {
        if (planOnly()) {
            DeletePlan plan = service.planDelete(backupId, store.name());
            showPlan("planned", plan, PlanText.deletePlan(plan), next(plan));
            return ExitCodes.OK;
        }
        return confirmed(
                service,
                token -> track(context -> service.requestDelete(backupId, store.name(), token, allowLast, context)),
                PlanText::deletePlan,
                this::next,
                "the backup id",
                plan -> backupId,
                deleted -> out().result(new Documents.Deleted(deleted), PlanText.deleted(deleted)));
    }

    private String next(DeletePlan plan) {
        return withSharedOptions(new CommandText("lifeboat", "backup", "delete", backupId)
                        .option("--store", store.name())
                        .option("--confirm", plan.confirmation().token())
                        .flag("--allow-last", allowLast))
                .toString();
    }
}

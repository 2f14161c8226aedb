package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.manage.DeletePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Override
    protected int run(BackupService service) {
        if (token() != null) {
            return delete(service, store.name(), token());
        }
        DeletePlan plan = service.planDelete(backupId, store.name());
        String next = withSharedOptions(new CommandText("lifeboat", "backup", "delete", backupId)
                        .option("--store", store.name())
                        .option("--confirm", plan.confirmation().token()))
                .toString();
        if (planOnly()) {
            out().result(new Documents.Plan("planned", plan, next), planText(plan, next));
            return ExitCodes.OK;
        }
        if (canAsk()) {
            out().note(HumanText.deletePlan(plan));
            confirmAtTerminal(service, plan.confirmation(), "the backup id", backupId);
            return delete(service, store.name(), plan.confirmation().token());
        }
        out().result(new Documents.Plan("confirmation_required", plan, next), planText(plan, next));
        return ExitCodes.CONFIRMATION_REQUIRED;
    }

    private int delete(BackupService service, String storeName, String token) {
        BackupRecord deleted = track(context -> service.delete(backupId, storeName, token, context));
        out().result(new Documents.Deleted(deleted), HumanText.deleted(deleted));
        return ExitCodes.OK;
    }

    private static String planText(DeletePlan plan, String next) {
        return HumanText.deletePlan(plan) + "\n\n" + HumanText.confirmation(plan.confirmation(), next);
    }
}

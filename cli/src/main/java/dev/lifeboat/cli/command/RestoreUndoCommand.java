package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.restore.UndoPlan;
import dev.lifeboat.core.restore.UndoRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat restore undo <database>}. */
@Command(
        name = "undo",
        description = {
            "Undo the last 'restore --replace' of a database: the copy it kept takes the database's place again,"
                    + " and what the database holds now is kept in turn (so the undo can be undone).",
            "Destructive: needs --confirm TOKEN from a --plan run, or, at a terminal, typing the database name."
        })
public final class RestoreUndoCommand extends DestructiveCommand {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "The configured database.")
    String database;

    @Option(
            names = "--target-dbname",
            paramLabel = "NAME",
            description = "The database name on its server, when the restore replaced another name than the"
                    + " configured database's own.")
    String targetDbname;

    @Override
    protected java.util.List<Class<?>> jsonDocuments() {
        return java.util.List.of(Documents.Undone.class, UndoPlan.class);
    }

    @Override
    protected int run(BackupService service) {
        UndoRequest request = new UndoRequest(database, targetDbname, null);
        if (planOnly()) {
            UndoPlan plan = service.planUndo(request);
            showPlan("planned", plan, PlanText.undoPlan(plan), next(plan));
            return ExitCodes.OK;
        }
        return confirmed(
                service,
                token -> track(context -> service.requestUndo(request.withToken(token), context)),
                PlanText::undoPlan,
                this::next,
                "the name of the database to put back",
                UndoPlan::targetDbname,
                result -> out().result(new Documents.Undone(result), PlanText.undone(result)));
    }

    private String next(UndoPlan plan) {
        return withSharedOptions(new CommandText("lifeboat", "restore", "undo", database)
                        .option("--target-dbname", targetDbname)
                        .option("--confirm", plan.confirmation().token()))
                .toString();
    }
}

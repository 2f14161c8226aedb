package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat verify <id>}. */
@Command(
        name = "verify",
        description = {
            "Check that a backup is intact; prints every check with expected and actual values.",
            "Exits 0 when all checks pass, 6 when any fails."
        })
public final class VerifyCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup to verify.")
    String backupId;

    @Mixin
    StoreOption store;

    @Option(
            names = "--level",
            paramLabel = "LEVEL",
            defaultValue = "checksum",
            description = "checksum: re-read the stored bytes and compare size and SHA-256 with the manifest;"
                    + " archive: also parse the archive with pg_restore --list;"
                    + " restore: also restore into a scratch database, compare every table, drop it and"
                    + " store the evidence (a restore drill, see docs/drills.md). Default: ${DEFAULT-VALUE}.")
    String level;

    // with --level restore: a selective drill, which does not count for drill_every
    @Mixin
    SelectionOptions selection;

    @Option(
            names = "--fresh-server",
            description = "With --level restore: drill on the database's drill_target, a server whose roles are not"
                    + " the source's, keeping the owners and creating the roles kept with the backup (globals: roles)"
                    + " there, then dropping them: the evidence that the backup restores after losing the host.")
    boolean freshServer;

    @Mixin
    MetricsFileOption metrics;

    @Override
    protected java.util.List<Class<?>> jsonDocuments() {
        return java.util.List.of(VerificationReport.class);
    }

    @Override
    protected int run(BackupService service) {
        return metrics.around(service, out().err(), () -> verify(service));
    }

    private int verify(BackupService service) {
        VerifyLevel verifyLevel = VerifyLevel.parse(level);
        VerificationReport report = track(context ->
                service.verify(backupId, store.name(), verifyLevel, selection.selection(), freshServer, context));
        out().result(report, HumanText.report(report));
        return report.passed() ? ExitCodes.OK : ExitCodes.INTEGRITY_FAILED;
    }
}

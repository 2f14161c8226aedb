package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.cli.Sizes;
import dev.lifeboat.cli.Table;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.health.HealthState;
import dev.lifeboat.core.health.NextStep;
import dev.lifeboat.core.health.Problem;
import dev.lifeboat.core.health.SourceHealth;
import java.time.Duration;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lifeboat status}: every configured source against its objectives, for people and monitors.
 * It exits {@link ExitCodes#OBJECTIVE_MISSED} unless everything is OK, so a cron wrapper, a Nagios
 * check or a CI job can run it as it is.
 */
@Command(
        name = "status",
        description = {
            "Show each configured database, directory and set against its objectives (rpo, drill_every, copies):"
                    + " OK, LATE (an objective is missed), FAILING (the last backup failed) or NEVER (no backup), with"
                    + " the facts behind it and the next step for each problem. Reads the stores and the audit log"
                    + " only: it works while the databases are down. Exits "
                    + ExitCodes.OBJECTIVE_MISSED + " unless everything is OK."
        })
public final class StatusCommand extends ServiceCommand {
    @Mixin
    MetricsFileOption metrics;

    @Override
    protected int run(BackupService service) {
        HealthReport report = service.status();
        metrics.write(service, report, out().err());
        out().result(report, text(report));
        return report.healthy() ? ExitCodes.OK : ExitCodes.OBJECTIVE_MISSED;
    }

    static String text(HealthReport r) {
        Table t =
                new Table("SOURCE", "KIND", "STATE", "NEWEST BACKUP", "AGE", "SIZE", "COPIES", "LAST FAILURE", "DRILL");
        for (SourceHealth s : r.sources()) {
            t.row(
                    s.name(),
                    s.kind(),
                    s.state(),
                    s.newest() == null ? "-" : s.newest().backupId(),
                    s.newest() == null ? "-" : age(s.newest().ageSeconds()),
                    s.newest() == null ? "-" : Sizes.bytes(s.newest().sizeBytes()),
                    s.copies().isEmpty() ? "-" : String.join(",", s.copies()),
                    s.lastFailure() == null
                            ? "-"
                            : s.lastFailure().errorCode() + " "
                                    + HumanText.time(s.lastFailure().time()),
                    s.newestDrill() == null
                            ? "-"
                            : s.newestDrill().result() + " "
                                    + HumanText.time(s.newestDrill().startedAt()));
        }
        for (SourceHealth s : r.sets()) {
            t.row(
                    s.name(),
                    "set",
                    s.state(),
                    s.members().stream().map(m -> m.name() + " " + m.state()).collect(Collectors.joining(", ")),
                    "",
                    "",
                    "",
                    "",
                    "");
        }
        StringBuilder b = new StringBuilder(t.render());
        StringBuilder problems = new StringBuilder();
        for (SourceHealth s : r.sources()) {
            for (Problem p : s.problems()) {
                problems.append("\n  ").append(s.name()).append(": ").append(p.message());
                problems.append("\n    next: ").append(next(p.next()));
            }
        }
        for (HealthReport.StoreHealth st : r.stores()) {
            if (st.error() != null) {
                problems.append("\n  store ").append(st.name()).append(": ").append(st.error());
                problems.append("\n    next: ").append(next(st.next()));
            }
        }
        if (problems.length() > 0) {
            b.append("\n\nProblems:").append(problems);
        }
        String objectives = r.sources().stream()
                .filter(s -> s.objectives().rpo() != null
                        || s.objectives().drillEvery() != null
                        || s.objectives().copies() != null)
                .map(s -> s.name() + " (" + objectives(s.objectives()) + ")")
                .collect(Collectors.joining(", "));
        b.append("\n\n")
                .append(
                        objectives.isEmpty()
                                ? "No objectives configured (rpo, drill_every, copies)."
                                : "Objectives: " + objectives + ".");
        long bad = r.sources().stream().filter(s -> s.state() != HealthState.OK).count();
        b.append("\n")
                .append(
                        r.healthy()
                                ? "All OK."
                                : bad + " of " + r.sources().size() + " sources not OK"
                                        + (r.stores().stream().anyMatch(st -> st.error() != null)
                                                ? "; a store could not be read"
                                                : "")
                                        + ".");
        return b.toString();
    }

    /** The next step as a person does it here: a command line where there is one. */
    static String next(NextStep n) {
        String option = "directory".equals(n.kind()) ? "--directory" : "--database";
        return switch (n.action()) {
            case CREATE_BACKUP -> new CommandText("lifeboat", "backup", "create", option, n.source()).toString();
            case FIX_AND_CREATE_BACKUP ->
                n.why() + ": " + new CommandText("lifeboat", "backup", "create", option, n.source());
            case VERIFY_RESTORE ->
                new CommandText("lifeboat", "verify", n.backupId())
                        .option("--store", n.store())
                        .option("--level", "restore")
                        .toString();
            case COPY_BACKUP ->
                new CommandText("lifeboat", "backup", "copy", n.backupId())
                        .option("--to", n.store())
                        .toString();
            case ADD_STORE, FIX_STORE -> n.why();
        };
    }

    private static String objectives(SourceHealth.Promised p) {
        StringBuilder b = new StringBuilder();
        if (p.rpo() != null) {
            b.append("rpo ").append(p.rpo());
        }
        if (p.drillEvery() != null) {
            b.append(b.length() > 0 ? ", " : "").append("drill every ").append(p.drillEvery());
        }
        if (p.copies() != null) {
            b.append(b.length() > 0 ? ", " : "").append(p.copies()).append(" copies");
        }
        return b.toString();
    }

    private static String age(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : seconds + "s";
    }
}

package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.cli.Sizes;
import dev.lifeboat.cli.Table;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.manage.LeftoverPlan;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat gc}: what killed runs left behind (partial uploads and uncommitted data in the
 * stores, stale restore spools and passfiles, runs the audit log shows started and never finished);
 * a dry run unless given the plan's token, like prune.
 */
@Command(
        name = "gc",
        description = {
            "Find what killed or crashed runs left behind: partial uploads and data without a manifest in every"
                    + " store, restore spool files and passfiles of processes that are gone, and runs the audit log"
                    + " shows as started and never finished. Without --confirm it is a dry run that lists them with"
                    + " the token that removes exactly those."
        })
public final class GcCommand extends DestructiveCommand {
    @Option(
            names = "--min-age",
            paramLabel = "AGE",
            converter = AgeConverter.class,
            description = "How long store data must have been left unchanged to count as abandoned (default: 24h;"
                    + " 30m, 6h, 2d). Data of a run the audit log shows died counts at once.")
    Duration minAge;

    @Override
    protected int run(BackupService service) {
        Outcome<LeftoverPlan, LeftoverPlan> outcome = track(context -> service.requestGc(minAge, token(), context));
        if (outcome.confirmationRequired()) {
            LeftoverPlan plan = outcome.plan();
            CommandText command = new CommandText("lifeboat", "gc");
            if (minAge != null) {
                command.option("--min-age", minAge.toSeconds() + "s");
            }
            String next = withSharedOptions(
                            command.option("--confirm", plan.confirmation().token()))
                    .toString();
            // a dry run is the default and a success, as for prune
            showPlan("planned", plan, text(plan), next);
            return ExitCodes.OK;
        }
        LeftoverPlan done = outcome.result();
        if (token() == null) {
            out().result(new Documents.Plan("nothing_left_over", done, null), text(done));
        } else {
            out().result(new Documents.Plan("collected", done, null), "removed: " + text(done));
        }
        return ExitCodes.OK;
    }

    static String text(LeftoverPlan p) {
        StringBuilder b = new StringBuilder(p.summary());
        if (!p.items().isEmpty()) {
            Table t = new Table("  KIND", "WHERE", "NAME", "SIZE", "CHANGED", "WHY");
            for (LeftoverPlan.Item i : p.items()) {
                t.row(
                        "  " + i.kind(),
                        i.where(),
                        i.name(),
                        Sizes.bytes(i.bytes()),
                        i.lastModified() == null ? "-" : HumanText.time(i.lastModified()),
                        i.why());
            }
            b.append("\n\n").append(t.render());
        }
        if (!p.unfinishedRuns().isEmpty()) {
            Table t = new Table("  STARTED", "PID", "OPERATION", "BACKUP", "TARGET", "BY");
            for (LeftoverPlan.Run r : p.unfinishedRuns()) {
                t.row(
                        "  " + HumanText.time(r.startedAt()),
                        Long.toString(r.pid()),
                        r.operation(),
                        r.backupId() == null ? "-" : r.backupId(),
                        r.target() == null ? "-" : r.target(),
                        r.subject() == null ? "-" : r.subject());
            }
            b.append("\n\nruns that started and never finished:\n").append(t.render());
        }
        return b.toString().stripTrailing();
    }

    /** {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}. */
    static final class AgeConverter implements ITypeConverter<Duration> {
        private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

        @Override
        public Duration convert(String value) {
            Matcher m = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not an age: use a number and s, m, h or d (30m, 24h, 7d)");
            }
            return Durations.of(Long.parseLong(m.group(1)), m.group(2));
        }
    }
}

package dev.lifeboat.cli.command;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.metrics.HealthMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-file PATH}: after the run, the health metrics of every source (the values {@code
 * lifeboat status} reports) written for node_exporter's textfile collector, so a cron job, a systemd
 * timer or a Kubernetes CronJob leaves what Prometheus scrapes. Written whatever the run's outcome:
 * a failed backup is exactly what the file must show.
 */
public final class MetricsFileOption {
    @Option(
            names = "--metrics-file",
            paramLabel = "PATH",
            description = "After the run, write the health metrics of every source in the Prometheus text format"
                    + " to PATH (atomically: a temporary file renamed over it), e.g."
                    + " /var/lib/node_exporter/textfile_collector/lifeboat.prom. A file that cannot be written"
                    + " is reported on stderr and does not change the exit code.")
    Path file;

    /** Runs {@code run}, then writes the metrics file (when asked for) whether it returned or threw. */
    int around(BackupService service, PrintWriter err, IntSupplier run) {
        if (file == null) {
            return run.getAsInt();
        }
        int code;
        try {
            code = run.getAsInt();
        } catch (RuntimeException e) {
            write(service, null, err);
            throw e;
        }
        write(service, null, err);
        return code;
    }

    /** Writes {@code report} (or a fresh one when null), when asked for; a failure is a warning on {@code err}. */
    void write(BackupService service, HealthReport report, PrintWriter err) {
        if (file == null) {
            return;
        }
        try {
            HealthMetrics.writeTextfile(report != null ? report : service.status(), file);
        } catch (LifeboatException e) {
            // the run's own outcome stands: a missing metrics directory must not turn a good backup into a failure
            err.println("warning: metrics file not written: " + e.code() + ": " + e.getMessage());
            err.flush();
        }
    }
}

package dev.lifeboat.core.metrics;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.health.HealthState;
import dev.lifeboat.core.health.SourceHealth;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The metrics of a {@link HealthReport}, in the Prometheus text format (version 0.0.4, what
 * node_exporter's textfile collector and every scraper read). Timestamps are Unix seconds, so an
 * alert reads {@code time() - lifeboat_backup_last_success_timestamp_seconds > 26 * 3600}; a source
 * without a value (no backup yet, no drill) has no sample rather than a zero that would read as 1970.
 */
public final class HealthMetrics {
    /** The content type of what {@link #write} writes, for an HTTP answer. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final String[] SOURCE = {"source", "kind"};

    private HealthMetrics() {}

    /** The metrics of {@code report}, in the order of the names in the documentation. */
    public static MetricSnapshots snapshots(HealthReport report) {
        Gauge lastSuccess = gauge(
                "lifeboat_backup_last_success_timestamp_seconds",
                "When the newest committed backup of the source finished (Unix time).");
        Gauge lastAttempt = gauge(
                "lifeboat_backup_last_attempt_timestamp_seconds",
                "When the last backup of the source was attempted, successful or not (Unix time).");
        Gauge lastFailure = gauge(
                "lifeboat_backup_last_failure_timestamp_seconds",
                "When the last failed backup of the source started, per this host's audit log (Unix time).");
        Gauge duration = gauge(
                "lifeboat_backup_last_duration_seconds", "How long the newest committed backup of the source took.");
        Gauge size = gauge("lifeboat_backup_last_size_bytes", "The stored size of the newest committed backup.");
        Gauge copies = gauge("lifeboat_backup_newest_copies", "How many stores hold the newest backup of the source.");
        Gauge backups = gauge("lifeboat_backups", "Committed backups of the source in all stores.");
        Gauge drillTime = gauge(
                "lifeboat_drill_last_timestamp_seconds",
                "When the newest restore drill of the source started (Unix time).");
        Gauge drillPassed = gauge(
                "lifeboat_drill_last_passed",
                "Whether the newest restore drill of the source passed (1) or failed (0).");
        Gauge drillPassTime = gauge(
                "lifeboat_drill_last_pass_timestamp_seconds",
                "When the newest passing restore drill of the source started (Unix time).");
        Gauge rpo = gauge("lifeboat_objective_rpo_seconds", "The source's recovery point objective (rpo).");
        Gauge drillEvery =
                gauge("lifeboat_objective_drill_every_seconds", "How often a drill of the source must pass.");
        StateSet state = StateSet.builder()
                .name("lifeboat_source_state")
                .help("The source's health against its objectives: exactly one state is 1.")
                .labelNames(SOURCE)
                .states(Stream.of(HealthState.values()).map(Enum::name).toArray(String[]::new))
                .withoutExemplars()
                .build();
        for (SourceHealth s : concat(report)) {
            String[] labels = {s.name(), s.kind()};
            for (HealthState st : HealthState.values()) {
                if (st == s.state()) {
                    state.labelValues(labels).setTrue(st.name());
                } else {
                    state.labelValues(labels).setFalse(st.name());
                }
            }
            if (s.objectives().rpo() != null) {
                rpo.labelValues(labels)
                        .set(Durations.parse(s.objectives().rpo()).getSeconds());
            }
            if (s.objectives().drillEvery() != null) {
                drillEvery
                        .labelValues(labels)
                        .set(Durations.parse(s.objectives().drillEvery()).getSeconds());
            }
            backups.labelValues(labels).set(s.backups());
            if ("set".equals(s.kind())) {
                continue; // the rest is per database or directory
            }
            if (s.newest() != null) {
                lastSuccess
                        .labelValues(labels)
                        .set(seconds(s.newest().createdAt()) + s.newest().durationMillis() / 1000.0);
                duration.labelValues(labels).set(s.newest().durationMillis() / 1000.0);
                size.labelValues(labels).set(s.newest().sizeBytes());
            }
            copies.labelValues(labels).set(s.copies().size());
            if (s.lastAttempt() != null) {
                lastAttempt.labelValues(labels).set(seconds(s.lastAttempt()));
            }
            if (s.lastFailure() != null) {
                lastFailure.labelValues(labels).set(seconds(s.lastFailure().time()));
            }
            if (s.newestDrill() != null) {
                drillTime.labelValues(labels).set(seconds(s.newestDrill().startedAt()));
                drillPassed
                        .labelValues(labels)
                        .set("PASS".equals(s.newestDrill().result()) ? 1 : 0);
            }
            if (s.newestPassingDrill() != null) {
                drillPassTime.labelValues(labels).set(seconds(s.newestPassingDrill()));
            }
        }
        Gauge storeBackups = Gauge.builder()
                .name("lifeboat_store_backups")
                .help("Committed backups in the store (of configured sources or not).")
                .labelNames("store")
                .withoutExemplars()
                .build();
        Gauge storeUp = Gauge.builder()
                .name("lifeboat_store_up")
                .help("Whether the store could be listed (1) or not (0).")
                .labelNames("store")
                .withoutExemplars()
                .build();
        for (HealthReport.StoreHealth st : report.stores()) {
            storeUp.labelValues(st.name()).set(st.error() == null ? 1 : 0);
            if (st.error() == null) {
                storeBackups.labelValues(st.name()).set(st.backups());
            }
        }
        Gauge healthy = Gauge.builder()
                .name("lifeboat_healthy")
                .help("Whether every source and set is OK and every store could be read (1), as lifeboat status"
                        + " exits 0.")
                .withoutExemplars()
                .build();
        healthy.set(report.healthy() ? 1 : 0);
        Gauge checked = Gauge.builder()
                .name("lifeboat_status_timestamp_seconds")
                .help("When these values were read from the stores and the audit log (Unix time).")
                .withoutExemplars()
                .build();
        checked.set(seconds(report.checkedAt()));
        return new MetricSnapshots(List.of(
                lastSuccess.collect(),
                lastAttempt.collect(),
                lastFailure.collect(),
                duration.collect(),
                size.collect(),
                copies.collect(),
                backups.collect(),
                drillTime.collect(),
                drillPassed.collect(),
                drillPassTime.collect(),
                rpo.collect(),
                drillEvery.collect(),
                state.collect(),
                storeBackups.collect(),
                storeUp.collect(),
                healthy.collect(),
                checked.collect()));
    }

    /** Writes the metrics of {@code report} to {@code out} in the text format. */
    public static void write(HealthReport report, OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, snapshots(report));
    }

    /** The metrics of {@code report} in the text format. */
    public static String text(HealthReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(report, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the metrics of {@code report} to {@code file} for node_exporter's textfile collector:
     * into a hidden temporary file beside it, then renamed over it in one step, so the collector
     * never reads half a file (it reads only names ending in {@code .prom}, so the temporary one is
     * never collected). STATE_UNAVAILABLE when the directory cannot be written.
     */
    public static void writeTextfile(HealthReport report, Path file) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(
                "." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(report, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; that is what is reported
            }
            throw new LifeboatException(
                    ErrorCode.STATE_UNAVAILABLE,
                    "cannot write the metrics file " + target + ": " + e.getMessage(),
                    "check that its directory exists and is writable (node_exporter's --collector.textfile.directory)",
                    e);
        }
    }

    private static Gauge gauge(String name, String help) {
        return Gauge.builder()
                .name(name)
                .help(help)
                .labelNames(SOURCE)
                .withoutExemplars()
                .build();
    }

    private static List<SourceHealth> concat(HealthReport r) {
        List<SourceHealth> all = new ArrayList<>(r.sources());
        all.addAll(r.sets());
        return all;
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}

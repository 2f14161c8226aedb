package dev.lifeboat.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus exposition of a health report: values, the textfile's atomic write, promtool's verdict. */
class HealthMetricsTest {
    @TempDir
    Path dir;

    private HealthReport report() {
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .database("idp", Map.of("users", 2))
                .store("offsite")
                .set("shop", "app", "idp")
                .raw("databases: {app: {rpo: 26h, drill_every: 7d}, idp: {rpo: 26h}}")
                .build()) {
            BackupRecord b = f.backup("app");
            f.service().verify(b.manifest().id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER);
            f.advance(Duration.ofHours(1));
            f.engine().unreachable();
            try {
                f.backup("idp");
            } catch (LifeboatException expected) {
                // the failure the metrics must show
            }
            return f.service().status();
        }
    }

    @Test
    void theReportsFactsAreSamplesWithSourceAndKindLabels() {
        HealthReport r = report();
        String text = HealthMetrics.text(r);
        assertThat(text)
                .contains("# TYPE lifeboat_backup_last_success_timestamp_seconds gauge")
                .contains("lifeboat_backup_last_success_timestamp_seconds{kind=\"database\",source=\"app\"} ")
                .contains("lifeboat_backup_last_size_bytes{kind=\"database\",source=\"app\"} ")
                .contains("lifeboat_backup_last_failure_timestamp_seconds{kind=\"database\",source=\"idp\"} ")
                .contains("lifeboat_drill_last_passed{kind=\"database\",source=\"app\"} 1")
                .contains("lifeboat_objective_rpo_seconds{kind=\"database\",source=\"app\"} 93600")
                .contains("lifeboat_source_state{kind=\"database\",source=\"app\",lifeboat_source_state=\"OK\"} 1")
                .contains("lifeboat_source_state{kind=\"database\",source=\"idp\",lifeboat_source_state=\"FAILING\"} 1")
                .contains("lifeboat_source_state{kind=\"database\",source=\"idp\",lifeboat_source_state=\"OK\"} 0")
                .contains("lifeboat_source_state{kind=\"set\",source=\"shop\",lifeboat_source_state=\"FAILING\"} 1")
                .contains("lifeboat_store_backups{store=\"main\"} 1")
                .contains("lifeboat_store_backups{store=\"offsite\"} 0")
                .contains("lifeboat_store_up{store=\"main\"} 1")
                .contains("lifeboat_healthy 0");
        assertThat(text).contains("lifeboat_drill_last_timestamp_seconds{kind=\"database\",source=\"app\"} ");
        // a source with no backup has no success sample, rather than a zero that reads as 1970
        assertThat(text)
                .doesNotContain("lifeboat_backup_last_success_timestamp_seconds{kind=\"database\",source=\"idp\"}");
    }

    @Test
    void theTextfileIsReplacedWholeAndNoTemporaryFileIsLeft() throws IOException {
        Path file = dir.resolve("textfiles").resolve("lifeboat.prom");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old contents\n");
        HealthMetrics.writeTextfile(report(), file);
        assertThat(Files.readString(file)).startsWith("# HELP").contains("lifeboat_healthy 0");
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void aTextfileInAMissingDirectoryIsAStateError() {
        assertThatThrownBy(() -> HealthMetrics.writeTextfile(report(), dir.resolve("nowhere/lifeboat.prom")))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.getMessage()).contains("nowhere/lifeboat.prom"));
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        Path file = dir.resolve("lifeboat.prom");
        HealthMetrics.writeTextfile(report(), file);
        InteropTools.assertPromtoolAccepts(file);
    }
}

package dev.lifeboat.core;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.manage.PrunePlan;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.SampleManifest;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention through the service: dry run, token, removal order, and the newest verified backup. */
class PruneIT extends OverSharedCluster {
    private Path storeDir;

    @BeforeEach
    void setUp() {
        live = sampleApp("prune", 20).store("local");
        storeDir = live.storeDir("local");
    }

    /** A service whose database {@code app} has the retention rules {@code policy} sets. */
    private BackupService open(Consumer<ConfigBuilder.Database> policy) {
        return live.open(c -> c.database("app", policy));
    }

    /** A committed backup with made-up data at a chosen time: retention reads manifests only. */
    private String synthetic(Instant at) {
        Catalog catalog = new Catalog(new LocalBackupStore(storeDir));
        return SampleManifest.of("app", at)
                .commit(catalog, new byte[] {'P', 'G', 'D', 'M', 'P'})
                .id();
    }

    @Test
    void aDryRunRemovesNothingAndTheTokenRemovesExactlyThePlan() throws IOException {
        Instant now = Instant.now();
        List<String> ids = List.of(
                synthetic(now.minus(Duration.ofDays(3))),
                synthetic(now.minus(Duration.ofDays(2))),
                synthetic(now.minus(Duration.ofDays(1))),
                synthetic(now.minus(Duration.ofHours(1))));
        try (BackupService s = open(db -> db.retention("keep_last", 2))) {
            PrunePlan plan = s.planPrune(null, null);
            assertThat(plan.removeCount()).isEqualTo(2);
            PrunePlan.Group g = plan.groups().get(0);
            assertThat(g.remove()).extracting(PrunePlan.Removal::backupId).containsExactly(ids.get(1), ids.get(0));
            assertThat(g.keep()).extracting(PrunePlan.Kept::backupId).containsExactly(ids.get(3), ids.get(2));
            assertThat(g.keep().get(0).reasons()).anySatisfy(r -> assertThat(r).startsWith("keep_last"));
            assertThat(s.list(ListBackupsQuery.all())).hasSize(4);

            refused(ErrorCode.CONFIRMATION_REQUIRED, () -> s.prune(null, null, null, ctx));
            s.prune(null, null, plan.confirmation().token(), ctx);
            assertThat(s.list(ListBackupsQuery.all()))
                    .extracting(r -> r.manifest().id())
                    .containsExactly(ids.get(3), ids.get(2));
            assertThat(storeDir.resolve("app/" + ids.get(0))).doesNotExist();
            assertThat(s.planPrune(null, null).removeCount()).isZero();
        }
    }

    @Test
    void aTokenIsRefusedWhenTheSetToRemoveChanged() throws IOException {
        Instant now = Instant.now();
        synthetic(now.minus(Duration.ofDays(2)));
        synthetic(now.minus(Duration.ofDays(1)));
        try (BackupService s = open(db -> db.retention("keep_last", 1))) {
            PrunePlan plan = s.planPrune("app", null);
            synthetic(now.minus(Duration.ofHours(1)));
            refused(
                    ErrorCode.TOKEN_REJECTED,
                    () -> s.prune("app", null, plan.confirmation().token(), ctx));
            assertThat(s.list(ListBackupsQuery.all())).hasSize(3);
        }
    }

    @Test
    void theNewestVerifiedBackupIsNeverRemoved() throws IOException {
        String verified;
        try (BackupService s = open(db -> db.retention("keep_last", 1))) {
            verified = backupOfApp(s).id();
            assertThat(s.verify(verified, null, VerifyLevel.RESTORE, ctx).passed())
                    .isTrue();
        }
        Instant later = Instant.now().plus(Duration.ofMinutes(5));
        String newer = synthetic(later);
        String newest = synthetic(later.plus(Duration.ofMinutes(5)));
        try (BackupService s = open(db -> db.retention("keep_last", 1))) {
            PrunePlan plan = s.planPrune("app", "local");
            PrunePlan.Group g = plan.groups().get(0);
            assertThat(g.remove()).extracting(PrunePlan.Removal::backupId).containsExactly(newer);
            assertThat(g.keep())
                    .filteredOn(k -> k.backupId().equals(verified))
                    .singleElement()
                    .satisfies(k -> assertThat(k.reasons()).contains("newest verified"));
            assertThat(g.keep()).extracting(PrunePlan.Kept::backupId).contains(newest);
        }
    }

    @Test
    void aDatabaseWithoutAPolicyIsNotPruned() throws IOException {
        synthetic(Instant.now().minus(Duration.ofDays(1)));
        try (BackupService s = live.open()) {
            PrunePlan plan = s.planPrune(null, null);
            assertThat(plan.removeCount()).isZero();
            assertThat(plan.confirmation()).isNull();
            assertThat(plan.groups().get(0).policy()).contains("no retention policy");
            assertThat(refused(ErrorCode.INVALID_ARGUMENT, () -> s.planPrune("app", null)))
                    .hasMessageContaining("no retention policy for database 'app'");
        }
    }

    @Test
    void aHistoryOf200BackupsIsPrunedToExactlyTheDailyWeeklyAndMonthlyKeepers() throws IOException {
        // One backup every 31 hours (never two on one UTC day) for about eight months.
        Instant start = Instant.parse("2025-09-03T02:00:00Z");
        List<String> ids = new java.util.ArrayList<>();
        List<Instant> times = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Instant t = start.plus(Duration.ofHours(31L * i)).plus(Duration.ofMinutes((i % 7) * 13L));
            times.add(t);
            ids.add(synthetic(t));
        }
        // The expectation is worked out here without RetentionPolicy: walking newest first, a backup
        // is kept by a period rule when it is the first (newest) seen in a period not seen before,
        // while that rule still has count left, and the oldest one while a rule is not used up
        // (restic's semantics).
        java.util.Set<String> expected = new java.util.TreeSet<>();
        expected.addAll(newestPerPeriod(ids, times, t -> t.toString().substring(0, 10), 7));
        expected.addAll(newestPerPeriod(
                ids,
                times,
                t -> {
                    java.time.LocalDate d = t.atZone(java.time.ZoneOffset.UTC).toLocalDate();
                    return d.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) + "-W"
                            + d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                },
                4));
        expected.addAll(newestPerPeriod(ids, times, t -> t.toString().substring(0, 7), 12));
        // 7 daily + 4 weekly + 12 monthly with overlaps: the newest backup is kept by all three
        // rules, the newest 7 cover one or two ISO weeks, the history spans 9 calendar months, so
        // keep_monthly has count left and also keeps the oldest backup.
        assertThat(expected).contains(ids.get(0));
        assertThat(expected).hasSizeBetween(15, 20);

        try (BackupService s = open(
                db -> db.retention("keep_daily", 7).retention("keep_weekly", 4).retention("keep_monthly", 12))) {
            PrunePlan plan = s.planPrune("app", "local");
            PrunePlan.Group g = plan.groups().get(0);
            assertThat(g.keep()).extracting(PrunePlan.Kept::backupId).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(plan.removeCount()).isEqualTo(200 - expected.size());
            assertThat(g.keep()).allSatisfy(k -> assertThat(k.reasons()).isNotEmpty());

            s.prune("app", "local", plan.confirmation().token(), ctx);
            assertThat(s.list(ListBackupsQuery.all()))
                    .extracting(r -> r.manifest().id())
                    .containsExactlyInAnyOrderElementsOf(expected);
            // Nothing of a removed backup is left behind: no data object without a manifest.
            try (var dirs = Files.list(storeDir.resolve("app"))) {
                assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
            }
            assertThat(s.planPrune("app", "local").removeCount()).isZero();
        }
    }

    private static List<String> newestPerPeriod(
            List<String> ids, List<Instant> times, java.util.function.Function<Instant, String> period, int count) {
        List<String> kept = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = ids.size() - 1; i >= 0 && kept.size() < count; i--) {
            if (seen.add(period.apply(times.get(i)))) {
                kept.add(ids.get(i));
            }
        }
        // restic keeps the oldest backup too while a rule still has count left
        if (kept.size() < count && !kept.contains(ids.get(0))) {
            kept.add(ids.get(0));
        }
        return kept;
    }
}

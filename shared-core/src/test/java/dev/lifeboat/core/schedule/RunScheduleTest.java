package dev.lifeboat.core.schedule;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.health.HealthState;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.FakeDumpEngine;
import dev.lifeboat.core.testing.LoopbackHttp;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One slot of a schedule over the fakes: the same use cases, audit and markers as a manual run, no PostgreSQL. */
class RunScheduleTest {
    private static final OperationContext CALLER = OperationContext.of("schedule", "tester");
    /** ServiceOverFakes.START is Monday 2026-03-02 02:00 UTC; the nightly slot before it is 01:15 that day. */
    private static final Instant SLOT = Instant.parse("2026-03-02T01:15:00Z");

    @TempDir
    Path dir;

    private ServiceOverFakes.Builder fakes(String scheduleYaml) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3, "orders", 5))
                .store("offsite")
                .raw("schedules:\n" + scheduleYaml);
    }

    private static final String NIGHTLY = nightly("");

    /** The schedule "nightly" of app at 01:15 UTC, with {@code followUps} (e.g. ", prune: true") after its database. */
    private static String nightly(String followUps) {
        return "  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app" + followUps + "}\n";
    }

    /** Fakes with {@code scheduleYaml} whose app keeps its last backup only. */
    private ServiceOverFakes keepingTheLastOnly(String scheduleYaml) {
        return fakes(scheduleYaml).retention("app", Map.of("keep_last", 1)).build();
    }

    /** A backup of app a minute before the slot runs: its id. */
    private static String aBackupAMinuteOld(ServiceOverFakes f) {
        String id = f.backup("app").manifest().id();
        f.advance(Duration.ofMinutes(1));
        return id;
    }

    @Test
    void aSlotBacksUpThroughTheSameUseCaseAsAManualRunAndRecordsItsRun() {
        try (ServiceOverFakes f = fakes(NIGHTLY).build()) {
            SlotResult r = f.service().runSchedule("nightly", CALLER);
            assertThat(r.status()).isEqualTo(SlotResult.Status.OK);
            assertThat(r.slot()).isEqualTo(SLOT);
            assertThat(r.backupIds()).hasSize(1);
            BackupRecord b = f.service().get(r.backupIds().get(0), null);
            assertThat(b.manifest().tags())
                    .containsEntry(RunSchedule.TAG_SCHEDULE, "nightly")
                    .containsEntry(RunSchedule.TAG_SLOT, "20260302T0115Z");
            // the markers say it ran, from any host: claim and outcome
            assertThat(f.store().keys())
                    .contains(
                            "_lifeboat/schedules/nightly/20260302T0115Z/claim.json",
                            "_lifeboat/schedules/nightly/20260302T0115Z/done.json");
            ScheduleSummary s = f.service().schedules().get(0);
            assertThat(s.lastRun().slot()).isEqualTo(SLOT);
            assertThat(s.lastRun().status()).isEqualTo("ok");
            assertThat(s.lastRun().backupIds()).isEqualTo(r.backupIds());
            assertThat(s.nextRun()).isEqualTo(Instant.parse("2026-03-03T01:15:00Z"));
            assertThat(s.markerStore()).isEqualTo("main");
            // audit as for backup create, plus the schedule's own line; status counts the backup
            assertThat(f.audit())
                    .anySatisfy(l ->
                            assertThat(l).containsEntry("operation", "create").containsEntry("outcome", "ok"));
            assertThat(f.lastAudit())
                    .containsEntry("operation", "schedule")
                    .containsEntry("target", "schedule:nightly@20260302T0115Z")
                    .containsEntry("outcome", "ok");
            assertThat(f.service().status().sources().get(0).state()).isEqualTo(HealthState.OK);
            // the backups listed are only the one backup: markers are never taken for backups
            assertThat(f.service().list(new ListBackupsQuery(null, null, null, 0)))
                    .hasSize(1);
        }
    }

    @Test
    void aScheduledBackupIsAnnouncedLikeAManualOne() throws Exception {
        try (LoopbackHttp server = LoopbackHttp.start();
                ServiceOverFakes f = fakes(NIGHTLY)
                        .raw("notify:\n  hc: {ping: '" + server.url("/check") + "'}\n")
                        .build()) {
            f.service().runSchedule("nightly", CALLER);
            f.engine().unreachable();
            f.advance(Duration.ofDays(1));
            assertThat(f.service().runSchedule("nightly", CALLER).status()).isEqualTo(SlotResult.Status.FAILED);
            assertThat(server.received())
                    .extracting(LoopbackHttp.Received::path)
                    .containsExactly("/check/start", "/check", "/check/start", "/check/fail");
        }
    }

    @Test
    void aSlotThatRanIsSkippedWhenStartedAgain() {
        try (ServiceOverFakes f = fakes(NIGHTLY).build()) {
            f.service().runSchedule("nightly", CALLER);
            f.advance(Duration.ofMinutes(30));
            SlotResult again = f.service().runSchedule("nightly", CALLER);
            assertThat(again.status()).isEqualTo(SlotResult.Status.SKIPPED);
            assertThat(again.steps().get(0).message()).contains("was taken by").contains("not run again");
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }

    @Test
    void followUpsVerifyCopyAndPruneEachNewBackup() {
        try (ServiceOverFakes f = keepingTheLastOnly(nightly(", verify: archive, copy_to: [offsite], prune: true"))) {
            String older = aBackupAMinuteOld(f);
            SlotResult r = f.service().runSchedule("nightly", CALLER);
            assertThat(r.status()).as(r.toString()).isEqualTo(SlotResult.Status.OK);
            assertThat(r.steps().stream().map(SlotResult.Step::action))
                    .containsExactly("backup", "verify", "copy", "prune");
            String id = r.backupIds().get(0);
            assertThat(f.service().get(id, "offsite").store()).isEqualTo("offsite");
            assertThat(r.steps().get(3).message()).isEqualTo("1 removed");
            refused(ErrorCode.NOT_FOUND, () -> f.service().get(older, "main"));
        }
    }

    @Test
    void aFailedBackupIsAFailedRunThatCopiesAndPrunesNothing() {
        try (ServiceOverFakes f = keepingTheLastOnly(nightly(", copy_to: offsite, prune: true"))) {
            String older = aBackupAMinuteOld(f);
            f.engine().unreachable();
            SlotResult r = f.service().runSchedule("nightly", CALLER);
            assertThat(r.status()).isEqualTo(SlotResult.Status.FAILED);
            assertThat(r.firstFailure().action()).isEqualTo("backup");
            assertThat(r.firstFailure().errorCode()).isEqualTo("DATABASE_UNREACHABLE");
            assertThat(r.backupIds()).isEmpty();
            // the last good backup survives: retention never runs after a failure
            assertThat(f.service().get(older, "main")).isNotNull();
            assertThat(f.lastAudit())
                    .containsEntry("operation", "schedule")
                    .containsEntry("outcome", "error")
                    .containsEntry("error_code", "DATABASE_UNREACHABLE");
            assertThat(f.service().status().sources().get(0).state()).isEqualTo(HealthState.FAILING);
            assertThat(f.service().schedules().get(0).lastRun().status()).isEqualTo("failed");
        }
    }

    @Test
    void aSetScheduleBacksUpEveryMemberInOneRun() {
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("api", Map.of("users", 2))
                .database("idp", Map.of("keys", 1))
                .set("shop", "api", "idp")
                .raw("schedules:\n  shop: {cron: '15 1 * * *', time_zone: UTC, set: shop}\n")
                .build()) {
            SlotResult r = f.service().runSchedule("shop", CALLER);
            assertThat(r.status()).isEqualTo(SlotResult.Status.OK);
            assertThat(r.backupIds()).hasSize(2);
            assertThat(r.steps().stream().map(SlotResult.Step::subject)).containsExactly("api", "idp");
        }
    }

    @Test
    void aCancelledRunGivesItsSlotBackSoTheNextStartRunsIt() {
        try (ServiceOverFakes f = fakes(NIGHTLY).build()) {
            f.engine()
                    .failAt(
                            FakeDumpEngine.Step.DUMP_DATA,
                            new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled", null));
            refused(ErrorCode.CANCELLED, () -> f.service().runSchedule("nightly", CALLER));
            assertThat(f.store().keys()).noneMatch(k -> k.startsWith("_lifeboat/"));
            assertThat(f.lastAudit()).containsEntry("operation", "schedule").containsEntry("error_code", "CANCELLED");
            f.engine().heal();
            assertThat(f.service().runSchedule("nightly", CALLER).status()).isEqualTo(SlotResult.Status.OK);
        }
    }

    @Test
    void onlyTheNewestSlotsMarkersAreKept() {
        try (ServiceOverFakes f = fakes("  hourly: {cron: '0 * * * *', time_zone: UTC, database: app}\n")
                .build()) {
            for (int i = 0; i < RunMarkers.KEEP + 5; i++) {
                assertThat(f.service().runSchedule("hourly", CALLER).status()).isEqualTo(SlotResult.Status.OK);
                f.advance(Duration.ofHours(1));
            }
            List<String> markers = f.store().keys().stream()
                    .filter(k -> k.startsWith("_lifeboat/schedules/hourly/"))
                    .toList();
            assertThat(markers).hasSize(2 * RunMarkers.KEEP);
            // the oldest kept is the 6th slot; the newest is the last run's
            assertThat(markers.get(0)).isEqualTo("_lifeboat/schedules/hourly/20260302T0700Z/claim.json");
            assertThat(f.service().schedules().get(0).lastRun().slot())
                    .isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
        }
    }

    @Test
    void aScheduleThatHasNotFiredYetHasNoSlotToRun() {
        try (ServiceOverFakes f = fakes("  feb30: {cron: '0 0 30 2 *', time_zone: UTC, database: app}\n")
                .build()) {
            LifeboatException e = refused(ErrorCode.NOT_FOUND, () -> f.service().runSchedule("feb30", CALLER));
            assertThat(e.getMessage()).contains("has not fired yet");
        }
    }

    @Test
    void racingWorkersOverTheMemoryStoreRunEachSlotExactlyOnce() throws Exception {
        try (ServiceOverFakes f = fakes(NIGHTLY).build()) {
            assertThat(SlotRace.race(f, sc -> f.store(sc), SLOT, CALLER)).containsExactlyInAnyOrder(okAndSkipped(8));
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }

    @Test
    void racingWorkersOverTheLocalStoreRunEachSlotExactlyOnce() throws Exception {
        try (ServiceOverFakes f = fakes(NIGHTLY).build();
                LocalBackupStore local = new LocalBackupStore(dir.resolve("local-store"))) {
            assertThat(SlotRace.race(f, sc -> local, SLOT, CALLER)).containsExactlyInAnyOrder(okAndSkipped(8));
            assertThat(f.engine().dumps()).hasSize(1);
            assertThat(local.list("_lifeboat/")).hasSize(2);
        }
    }

    private static SlotResult.Status[] okAndSkipped(int workers) {
        SlotResult.Status[] expected = new SlotResult.Status[workers];
        java.util.Arrays.fill(expected, SlotResult.Status.SKIPPED);
        expected[0] = SlotResult.Status.OK;
        return expected;
    }
}

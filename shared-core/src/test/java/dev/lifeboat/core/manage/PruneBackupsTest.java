package dev.lifeboat.core.manage;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PruneBackups}' decisions with a fixed clock: which backups a policy removes and why the rest
 * stay, the newest backup with a passing drill always stays, and a token removes exactly the set it
 * was issued for (or nothing).
 */
class PruneBackupsTest {
    private static final Duration DAY = Duration.ofDays(1);
    /**
     * Two minutes before midnight: a backup taken a few minutes after the last one lands on a new day
     * (and changes what keep_daily removes) while a token issued for the last one is still valid.
     */
    private static final Instant LATE = Instant.parse("2026-03-02T23:58:00Z");

    private static final Duration PAST_MIDNIGHT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private ServiceOverFakes f;
    private PruneBackups prune;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    /** "app" keeps two days; one backup a day for {@code days} days, from Monday 02:00; the clock ends on the last. */
    private List<Manifest> appKeepingTwoDays(int days) {
        return appKeepingTwoDays(days, ServiceOverFakes.START);
    }

    /** As above, from {@code start}. */
    private List<Manifest> appKeepingTwoDays(int days, Instant start) {
        serve(ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .retention("app", Map.of("keep_daily", 2))
                .startingAt(start));
        return daily("app", days);
    }

    private List<Manifest> daily(String database, int days) {
        List<Manifest> out = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            if (i > 0) {
                f.advance(DAY);
            }
            out.add(f.backup(database).manifest());
        }
        return out;
    }

    private static List<String> ids(List<Manifest> ms) {
        return ms.stream().map(Manifest::id).toList();
    }

    private List<String> listedIds() {
        return f.service().list(ListBackupsQuery.all()).stream()
                .map(r -> r.manifest().id())
                .toList();
    }

    @Test
    void aPlanListsWhatThePolicyRemovesAndWhyTheRestStay() {
        List<Manifest> b = appKeepingTwoDays(4);
        List<String> keysBefore = f.store().keys();

        PrunePlan p = prune.plan("app", null);

        assertThat(p.removeCount()).isEqualTo(2);
        assertThat(p.removeBytes()).isEqualTo(b.get(0).sizeBytes() + b.get(1).sizeBytes());
        assertThat(p.confirmation()).isNotNull();
        assertThat(p.groups()).singleElement().satisfies(g -> {
            assertThat(g.store()).isEqualTo("main");
            assertThat(g.database()).isEqualTo("app");
            assertThat(g.policy()).isEqualTo("keep_daily=2");
            assertThat(g.keep())
                    .extracting(PrunePlan.Kept::backupId, PrunePlan.Kept::reasons)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(b.get(3).id(), List.of("keep_daily")),
                            org.assertj.core.groups.Tuple.tuple(b.get(2).id(), List.of("keep_daily")));
            assertThat(g.remove())
                    .extracting(PrunePlan.Removal::backupId)
                    .containsExactly(b.get(1).id(), b.get(0).id());
        });
        assertThat(f.store().keys()).as("a plan removes nothing").isEqualTo(keysBefore);
    }

    @Test
    void pruneWithTheTokenRemovesExactlyThePlannedBackupsManifestFirst() {
        List<Manifest> b = appKeepingTwoDays(4);
        PrunePlan p = prune.plan("app", null);

        PrunePlan done = prune.prune("app", null, p.confirmation().token(), ServiceOverFakes.CALLER);

        assertThat(done.removeCount()).isEqualTo(2);
        assertThat(listedIds()).containsExactly(b.get(3).id(), b.get(2).id());
        assertThat(f.store().keys())
                .noneMatch(k -> k.contains(b.get(0).id()) || k.contains(b.get(1).id()))
                .anyMatch(k -> k.equals("app/" + b.get(2).id() + "/dump"));
        assertThat(f.store().calls())
                .containsSubsequence(
                        "delete app/" + b.get(1).id() + "/manifest.json",
                        "delete app/" + b.get(1).id() + "/dump");
        List<Map<String, Object>> audit = f.audit();
        assertThat(audit.stream().filter(l -> "prune:delete".equals(l.get("operation"))))
                .extracting(l -> l.get("backup_id"))
                .containsExactly(b.get(1).id(), b.get(0).id());
        assertThat(f.lastAudit())
                .containsEntry("operation", "prune")
                .containsEntry("outcome", "ok")
                .containsEntry("detail", "2 removed");
    }

    @Test
    void pruneWithoutATokenIsConfirmationRequiredAndRemovesNothing() {
        appKeepingTwoDays(4);
        List<String> keysBefore = f.store().keys();

        LifeboatException e = refused(() -> prune.prune("app", null, null, ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(f.store().keys()).isEqualTo(keysBefore);
        assertThat(f.lastAudit())
                .containsEntry("operation", "prune")
                .containsEntry("error_code", "CONFIRMATION_REQUIRED");
    }

    @Test
    void theNewestBackupWithAPassingDrillIsKept() {
        List<Manifest> b = appKeepingTwoDays(4);
        // the oldest passes a drill; the second's drill fails, so it does not count
        assertThat(f.service()
                        .verify(b.get(0).id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER)
                        .passed())
                .isTrue();
        f.engine().failAt(Step.RESTORE);
        assertThat(f.service()
                        .verify(b.get(1).id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER)
                        .passed())
                .isFalse();
        f.engine().heal();

        PrunePlan p = prune.plan("app", null);

        PrunePlan.Group g = p.groups().get(0);
        assertThat(g.keep())
                .extracting(PrunePlan.Kept::backupId, PrunePlan.Kept::reasons)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(b.get(3).id(), List.of("keep_daily")),
                        org.assertj.core.groups.Tuple.tuple(b.get(2).id(), List.of("keep_daily")),
                        org.assertj.core.groups.Tuple.tuple(b.get(0).id(), List.of("newest verified")));
        assertThat(g.remove())
                .extracting(PrunePlan.Removal::backupId)
                .containsExactly(b.get(1).id());

        prune.prune("app", null, p.confirmation().token(), ServiceOverFakes.CALLER);

        assertThat(listedIds())
                .containsExactly(b.get(3).id(), b.get(2).id(), b.get(0).id());
        assertThat(f.store().keys())
                .as("the removed backup's drill record goes with it; the kept one's stays")
                .noneMatch(k -> k.startsWith("app/" + b.get(1).id() + "/"))
                .anyMatch(k -> k.startsWith("app/" + b.get(0).id() + "/drills/"));
    }

    @Test
    void aTokenIsRefusedWhenTheRemovalSetChangedSinceThePlan() {
        appKeepingTwoDays(4, LATE);
        PrunePlan p = prune.plan("app", null);
        f.advance(PAST_MIDNIGHT);
        Manifest newer = f.backup("app").manifest(); // a new day: pushes one more daily backup out
        List<String> keysBefore = f.store().keys();

        LifeboatException e =
                refused(() -> prune.prune("app", null, p.confirmation().token(), ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage())
                .as("refused for the set, not for time")
                .contains("different set of backups to remove");
        assertThat(f.store().keys()).isEqualTo(keysBefore);
        assertThat(listedIds()).hasSize(5).contains(newer.id());
        assertThat(prune.plan("app", null).removeCount()).isEqualTo(3);
    }

    @Test
    void aTokenForOneDatabaseIsRefusedForAPruneOfAll() {
        appKeepingTwoDays(4);
        PrunePlan p = prune.plan("app", null);
        List<String> keysBefore = f.store().keys();

        LifeboatException e =
                refused(() -> prune.prune(null, null, p.confirmation().token(), ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("'app', not 'all databases'");
        assertThat(f.store().keys()).isEqualTo(keysBefore);
    }

    @Test
    void aTokenIsSingleUse() {
        appKeepingTwoDays(4, LATE);
        String token = prune.plan("app", null).confirmation().token();
        prune.prune("app", null, token, ServiceOverFakes.CALLER);
        f.advance(PAST_MIDNIGHT);
        f.backup("app"); // something to remove again

        LifeboatException e = refused(() -> prune.prune("app", null, token, ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("already used");
        assertThat(listedIds()).hasSize(3);
    }

    @Test
    void nothingToRemoveNeedsNoToken() {
        appKeepingTwoDays(2);

        PrunePlan p = prune.plan("app", null);
        PrunePlan done = prune.prune("app", null, null, ServiceOverFakes.CALLER);

        assertThat(p.removeCount()).isZero();
        assertThat(p.confirmation()).isNull();
        assertThat(done.removeCount()).isZero();
        assertThat(listedIds()).hasSize(2);
        assertThat(f.lastAudit()).containsEntry("outcome", "ok").containsEntry("detail", "nothing to remove");
    }

    @Test
    void aPlanDoesNotChangeWhileTheClockStandsStill() {
        appKeepingTwoDays(5);

        PrunePlan first = prune.plan("app", null);
        PrunePlan second = prune.plan("app", null);

        assertThat(second.groups()).isEqualTo(first.groups());
        assertThat(second.confirmation().token())
                .isNotEqualTo(first.confirmation().token());
        // both tokens are for the same set: either removes it
        prune.prune("app", null, first.confirmation().token(), ServiceOverFakes.CALLER);
        assertThat(listedIds()).hasSize(2);
    }

    @Test
    void keepWithinCountsBackFromTheNewestBackupNotFromNow() {
        serve(ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .retention("app", Map.of("keep_within", "2d")));
        List<Manifest> b = daily("app", 4);
        f.advance(Duration.ofDays(90)); // the database went idle

        PrunePlan p = prune.plan("app", null);

        assertThat(p.groups().get(0).keep())
                .extracting(PrunePlan.Kept::backupId)
                .containsExactly(b.get(3).id(), b.get(2).id());
        assertThat(p.removeCount()).isEqualTo(2);
    }

    @Test
    void aDatabaseWithoutAPolicyIsInvalidArgumentWhenNamedAndKeptWhole() {
        serve(appAndBilling(1));
        List<Manifest> app = daily("app", 3);
        List<Manifest> billing = daily("billing", 3);

        assertThat(refused(() -> prune.plan("app", null)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        LifeboatException e = refused(() -> prune.prune("app", null, null, ServiceOverFakes.CALLER));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.hint()).contains("databases.app.retention");

        PrunePlan all = prune.plan(null, null);
        assertThat(all.groups()).extracting(PrunePlan.Group::database).containsExactly("app", "billing");
        PrunePlan.Group appGroup = all.groups().get(0);
        assertThat(appGroup.remove()).isEmpty();
        assertThat(appGroup.keep())
                .hasSize(3)
                .allSatisfy(k -> assertThat(k.reasons()).containsExactly("no policy"));
        assertThat(all.groups().get(1).remove())
                .extracting(PrunePlan.Removal::backupId)
                .containsExactly(billing.get(1).id(), billing.get(0).id());

        prune.prune(null, null, all.confirmation().token(), ServiceOverFakes.CALLER);
        assertThat(listedIds())
                .containsAll(ids(app))
                .contains(billing.get(2).id())
                .hasSize(4);
    }

    @Test
    void aStorePolicyAppliesToDatabasesWithoutTheirOwn() {
        serve(appAndBilling(3).storeRetention("main", Map.of("keep_last", 1)));
        daily("app", 3);
        daily("billing", 3);

        PrunePlan p = prune.plan(null, null);

        assertThat(p.groups())
                .extracting(
                        PrunePlan.Group::database,
                        PrunePlan.Group::policy,
                        g -> g.remove().size())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("app", "keep_last=1", 2),
                        org.assertj.core.groups.Tuple.tuple("billing", "keep_last=3", 0));
    }

    @Test
    void anInvalidDatabaseNameIsRefused() {
        appKeepingTwoDays(1);

        assertThat(refused(() -> prune.plan("App!", null)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refused(() -> prune.plan("app", "nope")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aCancelledPruneRemovesNothingMore() {
        appKeepingTwoDays(4);
        String token = prune.plan("app", null).confirmation().token();
        List<String> keysBefore = f.store().keys();
        OperationContext c = OperationContext.of("test", "tester");
        c.cancel().cancel();

        LifeboatException e = refused(() -> prune.prune("app", null, token, c));

        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(f.store().keys()).isEqualTo(keysBefore);
        assertThat(f.lastAudit()).containsEntry("operation", "prune").containsEntry("error_code", "CANCELLED");
    }

    /** Two sources in one store: app without a policy of its own, billing keeping its last {@code kept}. */
    private ServiceOverFakes.Builder appAndBilling(int kept) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .database("billing", Map.of("invoices", 2))
                .retention("billing", Map.of("keep_last", kept));
    }

    /** The service {@code fakes} builds ({@code f}, which the checks read) and the prune over it. */
    private void serve(ServiceOverFakes.Builder fakes) {
        f = fakes.build();
        prune = new PruneBackups(f.context());
    }
}

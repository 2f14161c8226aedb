package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A replacing restore's decisions over the fakes: nothing touches the target before the swap, every
 * failure removes the shadow and says where things are, and the login's rights are checked up front.
 */
class ReplaceRestoreTest extends ChangedSinceBackup {

    private RestoreRequest replace(String token) {
        return new RestoreRequest(m.id(), null, null, null, RestoreMode.REPLACE, token);
    }

    private String token() {
        return restore.planRestore(replace(null)).confirmation().token();
    }

    /** Databases on the fake server other than the target. */
    private List<String> beside() {
        return f.engine().databases().namesStartingWith(null, "app__");
    }

    /** A replacing restore with {@code token} for {@code caller}, refused: the refusal. */
    private LifeboatException refusedReplace(String token, OperationContext caller) {
        return Refusals.refused(() -> restore.restore(replace(token), caller));
    }

    /** Asserts that the target still holds what it held and that no database was left beside it. */
    private void assertAppAsItWasAndNothingBeside() {
        assertThat(f.engine().tables("app")).contains(liveApp);
        assertThat(beside()).isEmpty();
    }

    @Test
    void replaceSwapsInExactlyTheBackupAndKeepsTheOldDatabase() {
        RestoreResult r = restore.restore(replace(token()), ServiceOverFakes.CALLER);

        assertThat(f.engine().tables("app").orElseThrow()).containsOnlyKeys("public.accounts", "public.orders");
        assertThat(r.previous()).startsWith("app__prev_");
        assertThat(f.engine().tables(r.previous())).contains(liveApp);
        assertThat(beside()).containsExactly(r.previous());
        assertThat(f.engine().calls()).anyMatch(c -> c.startsWith("carryOver app -> app__restoring_"));
        assertThat(f.lastAudit()).containsEntry("operation", "restore:replace").containsEntry("outcome", "ok");
    }

    @Test
    void aFailedSwapLeavesTheNamesAsTheyWereAndRemovesTheShadow() {
        String token = token();
        f.engine().failAt(Step.SWAP);

        LifeboatException e = refusedReplace(token, ServiceOverFakes.CALLER);

        assertThat(e.getMessage())
                .contains("the target 'app' was left as it was")
                .contains("was removed");
        assertAppAsItWasAndNothingBeside();
    }

    @Test
    void aFailedPgRestoreNeverReachesTheSwap() {
        String token = token();
        f.engine().failAt(Step.RESTORE);

        LifeboatException e = refusedReplace(token, ServiceOverFakes.CALLER);

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(e.getMessage()).contains("the target 'app' was not touched");
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("swap"));
        assertAppAsItWasAndNothingBeside();
    }

    @Test
    void aCancelBeforeTheSwapRemovesTheShadow() {
        String token = token();
        CancelSignal cancel = new CancelSignal();
        Progress cancelAtRestore = (done, total, message) -> {
            if (message.startsWith("restoring beside")) {
                cancel.cancel();
            }
        };
        OperationContext caller = new OperationContext("test", "tester", cancelAtRestore, cancel);

        LifeboatException e = refusedReplace(token, caller);

        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertAppAsItWasAndNothingBeside();
    }

    @Test
    void aCancelThatMakesPgRestoreFailStillSaysTheTargetWasNotTouched() {
        // Ctrl-C cuts pg_restore's input: it fails on its own before its wait is interrupted, so the
        // failure reaching the service is TOOL_FAILED; the answer is CANCELLED and keeps where things are
        String token = token();
        CancelSignal cancel = new CancelSignal();
        f.engine().onEnter(Step.RESTORE, cancel::cancel);
        f.engine().failAt(Step.RESTORE);
        OperationContext caller = new OperationContext("test", "tester", Progress.NONE, cancel);

        LifeboatException e = refusedReplace(token, caller);

        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(e.getMessage())
                .startsWith("the operation was cancelled")
                .contains("the target 'app' was not touched", "was removed");
        assertAppAsItWasAndNothingBeside();
        assertThat(f.lastAudit()).containsEntry("outcome", "error");
    }

    @Test
    void theShadowIsCreatedWhileAnArchiveIsReadInLine() {
        // a store other than a local one: the archive is read into the spool and hashed in line, and the
        // read waits here until the shadow's creation began (or 10 s, when nothing creates it meanwhile)
        String token = token();
        CountDownLatch creating = new CountDownLatch(1);
        AtomicBoolean createdDuringRead = new AtomicBoolean();
        f.engine().onEnter(Step.CREATE_DATABASE, creating::countDown);
        f.store().beforeGet("app/" + m.id() + "/dump", () -> {
            try {
                createdDuringRead.set(creating.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        RestoreResult r = restore.restore(replace(token), ServiceOverFakes.CALLER);

        assertThat(createdDuringRead).isTrue();
        assertThat(f.engine().tables("app").orElseThrow()).containsOnlyKeys("public.accounts", "public.orders");
        assertThat(beside()).containsExactly(r.previous());
    }

    @Test
    void aDamagedArchiveDropsTheShadowCreatedWhileItWasRead() {
        String token = token();
        f.store().corrupt("app/" + m.id() + "/dump", 40);

        LifeboatException e = refusedReplace(token, ServiceOverFakes.CALLER);

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertThat(e.getMessage()).contains("not touched").contains("was removed");
        assertThat(f.engine().restores()).isEmpty();
        assertAppAsItWasAndNothingBeside();
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aShadowThatCannotBeCreatedWhileTheArchiveIsReadFailsTheRestoreWithTheServersReason() {
        String token = token();
        f.engine().failAt(Step.CREATE_DATABASE);

        LifeboatException e = refusedReplace(token, ServiceOverFakes.CALLER);

        assertThat(f.engine().restores()).isEmpty();
        assertAppAsItWasAndNothingBeside();
        assertThat(f.spoolFiles()).isEmpty();
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void aLoginWithoutCreatedbIsToldWhatItLacksAndTheAlternative() {
        f.engine().rights(new Databases.Rights(false, true, false));

        LifeboatException e = Refusals.refused(() -> restore.planRestore(replace(null)));

        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("CREATEDB");
        assertThat(e.hint()).contains("{MODE_CLEAN}");
    }

    @Test
    void thePlanNamesConnectedSessionsAndTheCopyKeptForUndo() {
        f.engine().connected("app", new Databases.Session(4711, "shop", "shop-app", "10.0.0.5", Instant.EPOCH, "idle"));

        RestorePlan p = restore.planRestore(replace(null));

        assertThat(p.sessions()).containsExactly("pid 4711 shop@10.0.0.5 (shop-app, idle since 1970-01-01T00:00:00Z)");
        assertThat(p.onlyInTarget()).containsExactly("public.extra");
        assertThat(p.keptAs()).startsWith("app__prev_");
        assertThat(p.summary()).contains("1 connected session(s) will be ended at the swap");
    }

    @Test
    void thePlanWarnsWhenTheSwapCouldNotEndAnotherRolesSessions() {
        f.engine().rights(new Databases.Rights(true, true, false));
        f.engine().connected("app", new Databases.Session(4711, "reporting", "bi", null, Instant.EPOCH, "idle"));

        RestorePlan p = restore.planRestore(replace(null));

        assertThat(p.warnings()).anyMatch(w -> w.contains("belong to other roles") && w.contains("BUSY"));
    }

    @Test
    void aRestoreWhileAnotherHoldsTheTargetIsRefusedUpFront() throws Exception {
        String token = token();
        try (dev.lifeboat.core.engine.Databases.Lock held =
                f.engine().databases().tryLock(spec(), "app").orElseThrow()) {
            LifeboatException e = refusedReplace(token, ServiceOverFakes.CALLER);
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
        }
        assertThat(f.engine().tables("app")).contains(liveApp);
        assertThat(f.engine().restores()).isEmpty();
    }

    private dev.lifeboat.core.engine.ConnectionSpec spec() {
        return new dev.lifeboat.core.engine.ConnectionSpec("db.test", 5432, "app", "u", null, null, null);
    }
}

package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.manage.DeleteBackup;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DatabaseRestore}'s decisions over the fakes: a restore into a new database runs at once, one
 * over an existing database only with a token bound to exactly that plan, the stored bytes are
 * verified before the target is touched, and a failed restore into a new database removes it again.
 */
class DatabaseRestoreTest extends ChangedSinceBackup {

    private RestoreRequest request(String dbname, RestoreMode mode, String token) {
        return new RestoreRequest(m.id(), null, null, dbname, mode, token);
    }

    private RestoreResult run(RestoreRequest r) {
        return restore.restore(r, ServiceOverFakes.CALLER);
    }

    private LifeboatException refused(RestoreRequest r) {
        return Refusals.refused(() -> run(r));
    }

    /** The key of {@link #m}'s dump in the store. */
    private String dumpKey() {
        return "app/" + m.id() + "/dump";
    }

    /** A restore of {@link #m} into a new database app_copy, refused: after checking it restored nothing and left no app_copy. */
    private LifeboatException refusedIntoACopyRestoringNothing() {
        LifeboatException e = refused(request("app_copy", RestoreMode.CREATE, null));
        assertThat(f.engine().restores()).isEmpty();
        assertThat(f.engine().tables("app_copy")).isEmpty();
        return e;
    }

    private String cleanToken() {
        RestorePlan p = restore.planRestore(request(null, RestoreMode.CLEAN, null));
        assertThat(p.confirmation()).isNotNull();
        return p.confirmation().token();
    }

    private void assertAppUntouched() {
        assertThat(f.engine().tables("app")).contains(liveApp);
        assertThat(f.engine().restores()).isEmpty();
    }

    // ---- into a new database ----

    @Test
    void aRestoreIntoANewDatabaseRunsAtOnce() {
        RestoreResult r = run(request("app_copy", RestoreMode.CREATE, null));

        assertThat(r.targetDbname()).isEqualTo("app_copy");
        assertThat(r.mode()).isEqualTo(RestoreMode.CREATE);
        assertThat(r.sha256()).isEqualTo(m.sha256());
        assertThat(r.bytes()).isEqualTo(m.sizeBytes());
        assertThat(f.engine().tables("app_copy").orElseThrow())
                .containsOnlyKeys("public.accounts", "public.orders")
                .hasEntrySatisfying("public.accounts", rows -> assertThat(rows).hasSize(3));
        assertThat(f.engine().restores()).singleElement().satisfies(call -> {
            assertThat(call.options().clean()).isFalse();
            assertThat(call.sha256()).isEqualTo(m.sha256());
        });
        assertThat(f.engine().tables("app")).contains(liveApp);
        assertThat(f.lastAudit())
                .containsEntry("operation", "restore:create")
                .containsEntry("outcome", "ok")
                .containsEntry("target", "db.test:5432/app_copy");
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aPlanForANewDatabaseIsNotDestructiveAndHasNoToken() {
        RestorePlan p = restore.planRestore(request("app_copy", RestoreMode.CREATE, null));

        assertThat(p.destructive()).isFalse();
        assertThat(p.targetExists()).isFalse();
        assertThat(p.confirmation()).isNull();
        assertThat(p.summary()).contains("into a NEW database 'app_copy'");
        assertThat(f.engine().tables("app_copy")).isEmpty();
        assertThat(f.engine().restores()).isEmpty();
    }

    @Test
    void theRequestedJobsReachTheRestoreIntoANewDatabase() {
        run(new RestoreRequest(m.id(), null, null, "app_copy", RestoreMode.CREATE, null, 3));

        assertThat(f.engine().restores())
                .singleElement()
                .satisfies(call -> assertThat(call.options().jobs()).isEqualTo(3));
    }

    @Test
    void jobsOutOfRangeAreRefusedBeforeAnythingIsAsked() {
        for (int jobs : new int[] {0, 65}) {
            LifeboatException e =
                    refused(new RestoreRequest(m.id(), null, null, "app_copy", RestoreMode.CREATE, null, jobs));
            assertThat(e.code()).as("jobs %d", jobs).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("inspect"));
    }

    @Test
    void aCleanRestoreOfAMissingDatabaseBecomesACreateWithoutAToken() {
        RestorePlan p = restore.planRestore(request("app_new", RestoreMode.CLEAN, null));
        assertThat(p.mode()).isEqualTo(RestoreMode.CREATE);
        assertThat(p.confirmation()).isNull();
        assertThat(p.warnings()).anyMatch(w -> w.contains("will be created"));

        RestoreResult r = run(request("app_new", RestoreMode.CLEAN, null));

        assertThat(r.mode()).isEqualTo(RestoreMode.CREATE);
        assertThat(f.engine().tables("app_new")).isPresent();
    }

    @Test
    void aRestoreIntoANameThatExistsIsAlreadyExists() {
        LifeboatException e = refused(request("app", RestoreMode.CREATE, null));

        assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertAppUntouched();
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("createDatabase"));
        assertThat(f.lastAudit()).containsEntry("outcome", "error").containsEntry("error_code", "ALREADY_EXISTS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "has space", "semi;colon", "a/b", "quote\"d", "ü"})
    void anInvalidDatabaseNameIsRefusedBeforeTheServerIsAsked(String name) {
        LifeboatException e = refused(request(name, RestoreMode.CREATE, null));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("invalid target database name");
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("inspect"));
        assertThat(f.engine().restores()).isEmpty();
    }

    @Test
    void aDatabaseNameLongerThanSixtyThreeCharactersIsRefused() {
        assertThat(refused(request("d" + "x".repeat(63), RestoreMode.CREATE, null))
                        .code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(run(request("d" + "x".repeat(62), RestoreMode.CREATE, null)).targetDbname())
                .hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "template0", "template1"})
    void aSystemDatabaseIsRefusedInEveryMode(String name) {
        for (RestoreMode mode : RestoreMode.values()) {
            LifeboatException e = refused(request(name, mode, null));
            assertThat(e.code()).as("%s", mode).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("system database");
            Throwable planned = catchThrowable(() -> restore.planRestore(request(name, mode, null)));
            assertThat(planned).isInstanceOf(LifeboatException.class);
        }
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("inspect"));
    }

    @Test
    void aFailedRestoreIntoANewDatabaseDropsItAgain() {
        f.engine().failAt(Step.RESTORE);

        LifeboatException e = refused(request("app_copy", RestoreMode.CREATE, null));

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(e.getMessage()).contains("'app_copy' was removed again");
        assertThat(f.engine().tables("app_copy")).isEmpty();
        assertThat(f.engine().calls())
                .containsSubsequence("createDatabase app_copy", "restore app_copy", "dropDatabase app_copy");
        assertThat(f.lastAudit()).containsEntry("outcome", "error").containsEntry("error_code", "TOOL_FAILED");
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aFailedRestoreWhoseDropFailsTooSaysWhatToDropByHand() {
        f.engine().failAt(Step.RESTORE).failAt(Step.DROP_DATABASE);

        LifeboatException e = refused(request("app_copy", RestoreMode.CREATE, null));

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(e.getMessage()).contains("'app_copy' could not be dropped");
        assertThat(e.hint()).contains("DROP DATABASE \"app_copy\"");
        assertThat(f.engine().tables("app_copy")).as("left half restored").isPresent();
    }

    @Test
    void anUnreachableServerFailsTheRestoreWithNothingCreated() {
        f.engine().unreachable();

        LifeboatException e = refused(request("app_copy", RestoreMode.CREATE, null));

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
        assertThat(f.engine().tables("app_copy")).isEmpty();
        assertThat(f.lastAudit()).containsEntry("error_code", "DATABASE_UNREACHABLE");
    }

    @Test
    void anUnconfiguredTargetOrUnknownBackupIsNotFound() {
        assertThat(refused(new RestoreRequest(m.id(), null, "nope", "app_copy", RestoreMode.CREATE, null))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        String other = m.id().substring(0, m.id().length() - 4) + (m.id().endsWith("0000") ? "0001" : "0000");
        assertThat(refused(new RestoreRequest(other, null, null, "app_copy", RestoreMode.CREATE, null))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(f.engine().restores()).isEmpty();
    }

    @Test
    void aBackupFromANewerServerWarnsBeforeRestoringIntoAnOlderOne() {
        f.engine().serverVersion("14.9");

        RestorePlan p = restore.planRestore(request("app_copy", RestoreMode.CREATE, null));

        assertThat(p.serverVersion()).isEqualTo("14.9");
        assertThat(p.warnings()).anyMatch(w -> w.contains("PostgreSQL 15.19") && w.contains("older server"));
    }

    // ---- over an existing database ----

    @Test
    void aRestoreOverAnExistingDatabaseWithoutATokenIsConfirmationRequired() {
        LifeboatException e = refused(request(null, RestoreMode.CLEAN, null));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(e.getMessage()).contains("over the existing database 'app'");
        assertAppUntouched();
        assertThat(f.lastAudit())
                .containsEntry("operation", "restore:clean")
                .containsEntry("error_code", "CONFIRMATION_REQUIRED");
    }

    @Test
    void planThenTokenThenRunRestoresOverTheDatabaseInOneJob() {
        RestorePlan p = restore.planRestore(new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null, 4));
        assertThat(p.destructive()).isTrue();
        assertThat(p.targetExists()).isTrue();
        assertThat(p.willReplace()).containsExactly("public.accounts");
        assertThat(p.willKeep()).containsExactly("public.extra");
        assertThat(p.summary()).contains("OVER the existing database 'app'");
        assertAppUntouched();

        RestoreResult r = run(new RestoreRequest(
                m.id(), null, null, null, RestoreMode.CLEAN, p.confirmation().token(), 4));

        assertThat(r.mode()).isEqualTo(RestoreMode.CLEAN);
        assertThat(r.jobs()).isEqualTo(1);
        assertThat(f.engine().restores()).singleElement().satisfies(call -> {
            assertThat(call.options().clean()).isTrue();
            assertThat(call.options().jobs()).isEqualTo(1);
            assertThat(call.target().dbname()).isEqualTo("app");
        });
        SortedMap<String, List<String>> after = f.engine().tables("app").orElseThrow();
        assertThat(after.get("public.accounts")).hasSize(3);
        assertThat(after).containsKeys("public.orders", "public.extra");
        assertThat(f.lastAudit()).containsEntry("operation", "restore:clean").containsEntry("outcome", "ok");
    }

    @Test
    void aTokenIsSingleUse() {
        String token = cleanToken();
        run(request(null, RestoreMode.CLEAN, token));

        LifeboatException e = refused(request(null, RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("already used");
        assertThat(f.engine().restores()).hasSize(1);
    }

    @Test
    void aTokenForAnotherBackupIsRejectedAndStaysGoodForItsOwnPlan() {
        String token = cleanToken();
        f.engine().database("app", Map.of("accounts", 3, "orders", 5));
        Manifest newer = f.backup("app").manifest();
        f.engine().database("app", Map.of("accounts", 10, "extra", 1));

        LifeboatException e = refused(new RestoreRequest(newer.id(), null, null, null, RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("backup '" + m.id() + "'");
        assertAppUntouched();

        run(request(null, RestoreMode.CLEAN, token));
        assertThat(f.engine().restores()).hasSize(1);
    }

    @Test
    void aTokenForAnotherTargetIsRejected() {
        f.engine().database("app_staging", Map.of("accounts", 7));
        String token = cleanToken();

        LifeboatException e = refused(request("app_staging", RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("target").contains("app_staging");
        assertThat(f.engine().tables("app_staging").orElseThrow().get("public.accounts"))
                .hasSize(7);
        assertAppUntouched();
    }

    @Test
    void aTokenForAnotherOperationIsRejected() {
        String deleteToken =
                new DeleteBackup(f.context()).plan(m.id(), null).confirmation().token();

        LifeboatException e = refused(request(null, RestoreMode.CLEAN, deleteToken));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("operation 'delete'");
        assertAppUntouched();
        assertThat(f.store().keys()).contains("app/" + m.id() + "/manifest.json");
    }

    @Test
    void anAlteredTokenIsRejected() {
        String token = cleanToken();
        String altered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

        assertThat(refused(request(null, RestoreMode.CLEAN, altered)).code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(refused(request(null, RestoreMode.CLEAN, "lbc1.nonsense")).code())
                .isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertAppUntouched();
    }

    @Test
    void anExpiredTokenIsRejected() {
        String token = cleanToken();
        f.advance(f.config().tokenTtl().plusSeconds(1));

        LifeboatException e = refused(request(null, RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("expired");
        assertAppUntouched();
    }

    @Test
    void aFailedCleanRestoreLeavesTheTargetAsItWas() {
        String token = cleanToken();
        f.engine().failAt(Step.RESTORE);

        LifeboatException e = refused(request(null, RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(e.getMessage()).contains("'app' was left as it was");
        assertThat(f.engine().tables("app")).contains(liveApp);
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("dropDatabase"));
    }

    // ---- the stored bytes are verified first ----

    @Test
    void aCorruptedStoredObjectIsIntegrityFailedAndNoDatabaseIsCreated() {
        f.store().corrupt(dumpKey(), 40);

        LifeboatException e = refusedIntoACopyRestoringNothing();

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertThat(e.getMessage()).contains("not touched");
        assertThat(f.engine().calls()).noneMatch(c -> c.startsWith("createDatabase"));
        assertThat(f.lastAudit()).containsEntry("error_code", "INTEGRITY_FAILED");
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aCorruptedStoredObjectLeavesAnExistingTargetUntouched() {
        String token = cleanToken();
        f.store().corrupt(dumpKey(), 40);

        LifeboatException e = refused(request(null, RestoreMode.CLEAN, token));

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertAppUntouched();
    }

    @Test
    void aTruncatedStoredObjectIsIntegrityFailed() {
        f.store().truncate(dumpKey(), 30);

        LifeboatException e = refusedIntoACopyRestoringNothing();

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertThat(e.getMessage()).contains("found 30 bytes");
    }

    @Test
    void aMissingDataObjectFailsTheRestoreWithTheTargetUntouched() {
        f.store().delete(dumpKey());

        LifeboatException e = refusedIntoACopyRestoringNothing();

        assertThat(e.code()).isIn(ErrorCode.NOT_FOUND, ErrorCode.INTEGRITY_FAILED);
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aCancelBeforeTheRestoreCreatesNothing() {
        OperationContext c = OperationContext.of("test", "tester");
        c.cancel().cancel();

        Throwable t = catchThrowable(() -> restore.restore(request("app_copy", RestoreMode.CREATE, null), c));

        assertThat(t)
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(f.engine().tables("app_copy")).isEmpty();
        assertThat(f.engine().restores()).isEmpty();
        assertThat(f.lastAudit()).containsEntry("error_code", "CANCELLED");
    }
}

package dev.lifeboat.core.restore;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.Tampering;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restore that replaces a live database, against a real PostgreSQL with password authentication:
 * the result is exactly the backup with the old database's identity, the old database is kept for
 * undo, and every failure leaves the target as it was with nothing beside it.
 */
class ReplaceRestoreIT extends OverSharedCluster {

    @AutoClose
    private BackupService service;

    @BeforeEach
    void setUp() {
        live = sampleApp("repl", 200).store("local");
        pg.execute(
                source,
                "CREATE SEQUENCE public.order_no START 1",
                "SELECT setval('public.order_no', 4242)",
                "CREATE FUNCTION public.answer() RETURNS int LANGUAGE sql AS 'SELECT 42'");
        service = live.open();
    }

    private Manifest backup() {
        return backupOfApp(service);
    }

    private RestoreRequest replace(Manifest m) {
        return new RestoreRequest(m.id(), null, null, null, RestoreMode.REPLACE, null);
    }

    /** The replace of {@code m}'s backup, planned now and carrying the plan's token. */
    private RestoreRequest confirmedReplace(Manifest m) {
        return confirmed(service, replace(m));
    }

    private RestoreResult replaceConfirmed(Manifest m) {
        return service.restore(confirmedReplace(m), ctx);
    }

    /** The databases whose names start with the target's: the target and what a restore left beside it. */
    private List<String> beside(String db) {
        return pg
                .query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + db + "\\_\\_%' ORDER BY 1")
                .stream()
                .map(r -> r.get(0))
                .toList();
    }

    @Test
    void replaceAfterABadMigrationGivesBackExactlyTheBackupWithTheOldDatabasesIdentity() throws Exception {
        String reader = PgCluster.uniqueName("reader");
        pg.execute("postgres", "CREATE ROLE " + reader);
        pg.execute(
                "postgres",
                "ALTER DATABASE " + source + " SET work_mem = '12MB'",
                "ALTER DATABASE " + source + " SET search_path = \"$user\", public",
                "REVOKE ALL ON DATABASE " + source + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + source + " TO " + reader,
                "COMMENT ON DATABASE " + source + " IS 'the shop''s data'",
                "ALTER DATABASE " + source + " CONNECTION LIMIT 40");
        pg.execute(source, "SELECT lo_from_bytea(424242, 'a large object, kept'::bytea)");
        Map<String, String> identityBefore = identity(source);
        Manifest m = backup();
        var atBackup = pg.tableFingerprints(source);
        String largeObjectsAtBackup = largeObjects(source);
        // the bad migration: a new table, changed rows, a moved sequence, large objects gone and added
        pg.execute(
                source,
                "CREATE TABLE public.added_later (x int)",
                "INSERT INTO public.added_later VALUES (1)",
                "DELETE FROM public.numbers WHERE id <= 50",
                "SELECT setval('public.order_no', 9999)",
                "SELECT lo_unlink(424242)",
                "SELECT lo_from_bytea(434343, 'added later'::bytea)");
        var beforeRestore = pg.tableFingerprints(source);

        RestorePlan plan = service.planRestore(replace(m));
        assertThat(plan.destructive()).isTrue();
        assertThat(plan.mode()).isEqualTo(RestoreMode.REPLACE);
        assertThat(plan.onlyInTarget()).containsExactly("public.added_later");
        assertThat(plan.willKeep()).isEmpty();
        assertThat(plan.targetOwner()).isEqualTo(PgCluster.SUPERUSER);
        assertThat(plan.targetSizeBytes()).isPositive();
        assertThat(plan.keptAs()).startsWith(source + "__prev_");
        assertThat(plan.keptFor()).isEqualTo("1d");
        assertThat(plan.undoable()).isTrue();
        assertThat(plan.summary()).contains("in place of the existing database").contains("public.added_later");

        RestoreResult result =
                service.restore(replace(m).withToken(plan.confirmation().token()), ctx);

        assertThat(pg.tableFingerprints(source)).isEqualTo(atBackup);
        assertThat(largeObjects(source))
                .as("large objects: the backup's, with their contents, and no other")
                .isEqualTo(largeObjectsAtBackup)
                .startsWith("424242:");
        assertThat(pg.queryValue(source, "SELECT last_value FROM public.order_no"))
                .isEqualTo("4242");
        assertThat(pg.queryValue(source, "SELECT public.answer()")).isEqualTo("42");
        assertThat(identity(source)).isEqualTo(identityBefore);
        assertThat(identity(source))
                .containsEntry("comment", "the shop's data")
                .containsEntry("connlimit", "40")
                .containsEntry("owner", PgCluster.SUPERUSER);
        assertThat(identity(source).get("acl")).contains(reader + "=c/").doesNotContain("=Tc/");

        assertThat(result.previous()).startsWith(source + "__prev_");
        assertThat(result.previousExpiresAt()).isAfter(result.startedAt());
        assertThat(beside(source)).containsExactly(result.previous());
        // the kept copy is the database as it was just before the restore, and can be opened
        assertThat(pg.tableFingerprints(result.previous())).isEqualTo(beforeRestore);
    }

    /** Each large object's oid and the MD5 of its contents, in oid order. */
    private String largeObjects(String db) {
        return pg.queryValue(
                db,
                "SELECT coalesce(string_agg(oid::text || ':' || md5(lo_get(oid)), ',' ORDER BY oid), '')"
                        + " FROM pg_largeobject_metadata");
    }

    @Test
    void connectedSessionsAreNamedInThePlanAndEndedAtTheSwap() throws Exception {
        Manifest m = backup();
        pg.execute(source, "DELETE FROM public.numbers");
        try (Connection app = pg.connect(source);
                Statement st = app.createStatement()) {
            st.execute("SET application_name = 'shop-app'");
            RestorePlan plan = service.planRestore(replace(m));
            assertThat(plan.sessions()).singleElement().asString().contains("shop-app");
            assertThat(plan.warnings()).anyMatch(w -> w.contains("the swap ends them"));

            RestoreResult result =
                    service.restore(replace(m).withToken(plan.confirmation().token()), ctx);

            assertThat(result.sessionsEnded()).singleElement().asString().contains("shop-app");
            assertThat(app.isValid(2)).isFalse();
        }
        // a client that reconnects sees the restored data
        assertThat(pg.queryValue(source, "SELECT count(*) FROM public.numbers")).isEqualTo("200");
    }

    @Test
    void aFlippedByteLeavesTheTargetAsItWasAndNothingBeside() throws Exception {
        Manifest m = backup();
        pg.execute(source, "CREATE TABLE public.today (x int)");
        var before = pg.tableFingerprints(source);
        RestoreRequest confirmed = confirmedReplace(m);
        Tampering.flipMiddleByte(live.storeDir("local").resolve("app/" + m.id() + "/dump"), 0x01);

        assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> service.restore(confirmed, ctx)))
                .hasMessageContaining("the target database was not touched");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(beside(source)).isEmpty();
    }

    @Test
    void aFailingPgRestoreDropsTheShadowAndLeavesTheTargetAsItWas() {
        // a check that reads another table: restored data of a_checked comes before z_limit's rows,
        // so the check fails there and pg_restore --exit-on-error stops (one job keeps that order)
        pg.execute(
                source,
                "CREATE TABLE public.z_limit (x int)",
                "INSERT INTO public.z_limit VALUES (1), (2), (3)",
                "CREATE FUNCTION public.within_limit(v int) RETURNS boolean LANGUAGE sql IMMUTABLE"
                        + " AS 'SELECT v <= (SELECT count(*) FROM public.z_limit)'",
                "CREATE TABLE public.a_checked (v int CHECK (public.within_limit(v)))",
                "INSERT INTO public.a_checked VALUES (1)");
        Manifest m = backup();
        pg.execute(source, "CREATE TABLE public.today (x int)");
        var before = pg.tableFingerprints(source);
        RestoreRequest oneJob =
                confirmed(service, new RestoreRequest(m.id(), null, null, null, RestoreMode.REPLACE, null, 1));

        assertThat(refused(ErrorCode.TOOL_FAILED, () -> service.restore(oneJob, ctx)))
                .hasMessageContaining("the target '" + source + "' was not touched")
                .hasMessageContaining("was removed");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(beside(source)).isEmpty();
    }

    @Test
    void aGrantToARoleThatIsGoneIsRefusedBeforeAnythingIsMadeBesideTheTarget() {
        String gone = PgCluster.uniqueName("gone");
        pg.execute("postgres", "CREATE ROLE " + gone);
        pg.execute(source, "GRANT SELECT ON public.numbers TO " + gone);
        Manifest m = backup();
        pg.execute(source, "REVOKE SELECT ON public.numbers FROM " + gone);
        pg.execute("postgres", "DROP ROLE " + gone);
        var before = pg.tableFingerprints(source);

        RestoreRequest confirmed = confirmedReplace(m);
        assertThat(refused(ErrorCode.NOT_FOUND, () -> service.restore(confirmed, ctx)))
                .hasMessageContaining(gone)
                .hasMessageContaining("nothing was restored");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(beside(source)).isEmpty();
    }

    @Test
    void aPgRestoreKilledMidwayLeavesTheTargetAsItWasAndNothingBeside() throws Exception {
        SampleData.createBulk(pg, source, 24);
        Manifest m = backup();
        pg.execute(source, "CREATE TABLE public.today (x int)");
        var before = pg.tableFingerprints(source);
        RestoreRequest confirmed = confirmedReplace(m);
        java.util.concurrent.CompletableFuture<RestoreResult> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> service.restore(confirmed, ctx));
        ProcessHandle pgRestore = null;
        for (int i = 0; i < 600 && pgRestore == null; i++) {
            pgRestore = ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("pg_restore"))
                    // the one restoring into the database, not one reading the archive's listing
                    .filter(p -> java.util.Arrays.stream(p.info().arguments().orElse(new String[0]))
                            .anyMatch(a -> a.startsWith("--dbname")))
                    .findFirst()
                    .orElse(null);
            Thread.sleep(50);
        }
        assertThat(pgRestore).as("pg_restore started").isNotNull();
        new ProcessBuilder("kill", "-KILL", Long.toString(pgRestore.pid()))
                .start()
                .waitFor();

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(running::join);
        assertThat(failure).hasCauseInstanceOf(dev.lifeboat.core.base.LifeboatException.class);
        assertThat(failure.getCause())
                .hasMessageContaining("the target '" + source + "' was not touched")
                .hasMessageContaining("was removed");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(beside(source)).isEmpty();
    }

    @Test
    void aSecondRestoreIntoTheSameDatabaseIsRefusedWhileOneRuns() throws Exception {
        Manifest m = backup();
        RestoreRequest confirmed = confirmedReplace(m);
        var before = pg.tableFingerprints(source);
        try (Connection other = pg.connect("postgres");
                Statement st = other.createStatement()) {
            // what a running restore into this database holds
            st.execute("SELECT pg_advisory_lock(" + 0x4C424F54 + ", " + source.hashCode() + ")");
            assertThat(refused(ErrorCode.BUSY, () -> service.restore(confirmed, ctx)))
                    .hasMessageContaining("another restore into '" + source + "'");
        }
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(beside(source)).isEmpty();
    }

    @Test
    void aShadowLeftByAKilledRestoreIsDroppedByTheNextOne() {
        Manifest m = backup();
        String leftover = source + "__restoring_abc123";
        pg.createDatabase(leftover);

        RestoreResult result = replaceConfirmed(m);

        assertThat(pg.databaseExists(leftover)).isFalse();
        assertThat(result.notes()).anyMatch(n -> n.contains(leftover));
    }

    @Test
    void gcRepairsWhatARestoreKilledInItsSwapLeftAndLeavesARunningOnesShadowAlone() throws Exception {
        // what a kill -9 between "stop connections" and the renames leaves: the target refusing
        // connections and the finished shadow beside it
        String leftover = source + "__restoring_abc123";
        pg.createDatabase(leftover);
        pg.execute("postgres", "ALTER DATABASE " + source + " ALLOW_CONNECTIONS false");
        String busyTarget = pg.createUniqueDatabase("busy");
        String running = busyTarget + "__restoring_fedcba";
        pg.createDatabase(running);

        try (Connection restoreInProgress = pg.connect("postgres");
                Statement st = restoreInProgress.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + 0x4C424F54 + ", " + busyTarget.hashCode() + ")");
            var plan = service.requestGc(null, null, ctx).plan();
            assertThat(plan.items())
                    .extracting(dev.lifeboat.core.manage.LeftoverPlan.Item::name)
                    .contains(leftover)
                    .doesNotContain(running);
            service.requestGc(null, plan.confirmation().token(), ctx);
        }

        assertThat(pg.databaseExists(leftover)).isFalse();
        assertThat(pg.databaseExists(running)).isTrue();
        assertThat(pg.queryValue("postgres", "SELECT datallowconn FROM pg_database WHERE datname = '" + source + "'"))
                .isEqualTo("t");
        pg.dropDatabase(running);
    }

    @Test
    void undoPutsBackExactlyThePreviousStateAndCanItselfBeUndone() {
        Manifest m = backup();
        pg.execute(source, "CREATE TABLE public.after_backup (x int)", "INSERT INTO public.after_backup VALUES (7)");
        var beforeRestore = pg.tableFingerprints(source);
        replaceConfirmed(m);
        var restored = pg.tableFingerprints(source);
        assertThat(restored).doesNotContainKey("public.after_backup");

        UndoRequest undo = new UndoRequest("app", null, null);
        Outcome<UndoPlan, UndoResult> asked = service.requestUndo(undo, ctx);
        UndoPlan plan = asked.plan();
        assertThat(plan.previous()).startsWith(source + "__prev_");
        assertThat(plan.summary()).contains("put back '" + plan.previous() + "'");
        UndoResult done = service.requestUndo(undo.withToken(plan.confirmation().token()), ctx)
                .result();

        assertThat(pg.tableFingerprints(source)).isEqualTo(beforeRestore);
        assertThat(done.restoredFrom()).isEqualTo(plan.previous());
        assertThat(pg.tableFingerprints(done.currentKeptAs())).isEqualTo(restored);
        assertThat(service.previousCopies("app", null))
                .extracting(PreviousCopy::name)
                .containsExactly(done.currentKeptAs());
    }

    @Test
    void aCleanRestoreTakesASafetyBackupFirstAndUndoPutsItBack() {
        Manifest m = backup();
        pg.execute(
                source,
                "CREATE TABLE public.after_backup (x int)",
                "INSERT INTO public.after_backup VALUES (1)",
                "DELETE FROM public.numbers WHERE id <= 10");
        var before = pg.tableFingerprints(source);
        RestoreRequest clean = new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null);

        RestorePlan plan = service.planRestore(clean);
        assertThat(plan.safetyBackup()).isTrue();
        assertThat(plan.undoable()).isTrue();
        assertThat(plan.willKeep()).containsExactly("public.after_backup");
        assertThat(plan.summary()).contains("a safety backup of '" + source + "' is taken into store 'local'");
        RestoreResult result =
                service.restore(clean.withToken(plan.confirmation().token()), ctx);

        Manifest safety = service.get(result.previous(), null).manifest();
        assertThat(safety.tags()).containsEntry("lifeboat.safety", "clean-restore");
        assertThat(safety.server().dbname()).isEqualTo(source);
        assertThat(pg.queryValue(source, "SELECT count(*) FROM public.numbers")).isEqualTo("200");

        UndoPlan undoPlan = service.planUndo(new UndoRequest("app", null, null));
        assertThat(undoPlan.previous()).isEqualTo(safety.id());
        assertThat(undoPlan.summary()).contains("Undo the clean restore of '" + source + "'");
        UndoResult undone = service.requestUndo(
                        new UndoRequest("app", null, undoPlan.confirmation().token()), ctx)
                .result();

        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(undone.restoredFrom()).isEqualTo(safety.id());
        assertThat(undone.currentKeptAs()).isNotEqualTo(safety.id()).startsWith("app-");
    }

    @Test
    void aCleanRestoreWithoutItsSafetyBackupIsAnotherPlanAndCannotBeUndone() {
        Manifest m = backup();
        RestoreRequest clean = new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null);
        RestoreRequest bare = clean.skippingSafetyBackup();
        String withSafety = service.planRestore(clean).confirmation().token();

        RestorePlan plan = service.planRestore(bare);
        assertThat(plan.safetyBackup()).isFalse();
        assertThat(plan.undoable()).isFalse();
        assertThat(plan.summary()).contains("No safety backup is taken");
        refused(ErrorCode.TOKEN_REJECTED, () -> service.restore(bare.withToken(withSafety), ctx));

        RestoreResult result =
                service.restore(bare.withToken(plan.confirmation().token()), ctx);
        assertThat(result.previous()).isNull();
        assertThat(service.list(dev.lifeboat.core.manage.ListBackupsQuery.all()))
                .hasSize(1);
    }

    @Test
    void tokensDoNotCrossBetweenReplaceCleanAndUndo() {
        Manifest m = backup();
        var before = pg.tableFingerprints(source);
        String replaceToken = service.planRestore(replace(m)).confirmation().token();
        RestoreRequest clean = new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null);
        String cleanToken = service.planRestore(clean).confirmation().token();

        assertThat(refused(ErrorCode.TOKEN_REJECTED, () -> service.restore(clean.withToken(replaceToken), ctx)))
                .hasMessageContaining("mode");
        assertThat(refused(
                        ErrorCode.TOKEN_REJECTED,
                        () -> service.restore(replace(m).withToken(cleanToken), ctx)))
                .hasMessageContaining("mode");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);

        replaceConfirmed(m);
        String undoToken = service.planUndo(new UndoRequest("app", null, null))
                .confirmation()
                .token();
        String another = service.planRestore(replace(m)).confirmation().token();
        refused(ErrorCode.TOKEN_REJECTED, () -> service.requestUndo(new UndoRequest("app", null, another), ctx));
        refused(ErrorCode.TOKEN_REJECTED, () -> service.restore(replace(m).withToken(undoToken), ctx));
    }

    @Test
    void undoAfterTheCopyExpiredIsRefusedAndSaysWhereTheCopyIs() throws Exception {
        try (BackupService brief = live.open(c -> c.database("app", db -> db.keepPrevious("1s")))) {
            Manifest m = backupOfApp(brief);
            RestorePlan plan = brief.planRestore(replace(m));
            assertThat(plan.keptFor()).isEqualTo("1s");
            RestoreResult result =
                    brief.restore(replace(m).withToken(plan.confirmation().token()), ctx);
            Thread.sleep(1100);
            assertThat(refused(ErrorCode.NOT_FOUND, () -> brief.planUndo(new UndoRequest("app", null, null))))
                    .hasMessageContaining("expired")
                    .hasMessageContaining(result.previous());
        }
    }

    @Test
    void pruneDropsAPreviousCopyOnceItsKeepPreviousHasPassed() throws Exception {
        try (BackupService brief = live.open(c -> c.database("app", db -> db.keepPrevious("1s")))) {
            Manifest m = backupOfApp(brief);
            RestoreResult result = brief.restore(confirmed(brief, replace(m)), ctx);
            Thread.sleep(1100);

            var prunePlan = brief.requestPrune(null, null, null, ctx).plan();
            assertThat(prunePlan.expiredCopies())
                    .singleElement()
                    .satisfies(c -> assertThat(c.name()).isEqualTo(result.previous()));
            assertThat(prunePlan.summary()).contains(result.previous()).contains("cannot be undone");
            assertThat(pg.databaseExists(result.previous())).isTrue();

            brief.requestPrune(null, null, prunePlan.confirmation().token(), ctx);
            assertThat(pg.databaseExists(result.previous())).isFalse();
            assertThat(pg.tableFingerprints(source)).isNotEmpty();
        }
    }

    @Test
    void withKeepPreviousZeroThePlanSaysThereIsNoUndoAndNothingIsKept() {
        try (BackupService none = live.open(c -> c.database("app", db -> db.keepPrevious("0")))) {
            Manifest m = backupOfApp(none);
            RestorePlan plan = none.planRestore(replace(m));
            assertThat(plan.undoable()).isFalse();
            assertThat(plan.keptAs()).isNull();
            assertThat(plan.summary()).contains("cannot be undone");
            RestoreResult result =
                    none.restore(replace(m).withToken(plan.confirmation().token()), ctx);
            assertThat(result.previous()).isNull();
            assertThat(beside(source)).isEmpty();
            refused(ErrorCode.NOT_FOUND, () -> none.planUndo(new UndoRequest("app", null, null)));
        }
    }

    @Test
    void aCleanRestoreBlockedByAnOpenTransactionGivesUpAndNamesTheSession() throws Exception {
        try (BackupService quick = live.open(c -> c.database("app", db -> db.restoreLockTimeout("1s")))) {
            Manifest m = backupOfApp(quick);
            RestoreRequest clean = new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null);
            try (Connection app = pg.connect(source);
                    Statement st = app.createStatement()) {
                st.execute("SET application_name = 'busy-app'");
                app.setAutoCommit(false);
                st.execute("SELECT count(*) FROM public.numbers"); // holds a lock until the transaction ends
                var before = pg.tableFingerprints(source);
                RestorePlan plan = quick.planRestore(clean);
                assertThat(plan.warnings()).anyMatch(w -> w.contains("at most 1s (restore_lock_timeout)"));

                assertThat(refused(
                                ErrorCode.BUSY,
                                () -> quick.restore(
                                        clean.withToken(plan.confirmation().token()), ctx)))
                        .hasMessageContaining("waited 1s for a lock on '" + source + "'")
                        .hasMessageContaining("busy-app")
                        .hasMessageContaining("was left as it was");
                app.rollback();
                assertThat(pg.tableFingerprints(source)).isEqualTo(before);
            }
        }
    }

    /** A database's identity apart from its contents, as the catalog shows it. */
    private Map<String, String> identity(String db) throws Exception {
        try (Connection c = pg.connect("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_get_userbyid(d.datdba), d.datconnlimit::text,"
                        + " shobj_description(d.oid, 'pg_database'), d.datacl::text,"
                        + " (SELECT s.setconfig::text FROM pg_db_role_setting s WHERE s.setdatabase = d.oid"
                        + " AND s.setrole = 0) FROM pg_database d WHERE d.datname = '" + db + "'")) {
            rs.next();
            Map<String, String> out = new java.util.HashMap<>();
            out.put("owner", rs.getString(1));
            out.put("connlimit", rs.getString(2));
            out.put("comment", rs.getString(3));
            out.put("acl", rs.getString(4));
            out.put("settings", rs.getString(5));
            return out;
        }
    }
}

package dev.lifeboat.core.restore;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Selective restores against a real PostgreSQL with password authentication and the real
 * pg_dump/pg_restore: a table comes back whole (data, indexes, constraints, triggers, its sequence at
 * its value, comment, grants), a schema with what is in it, and nothing else comes along.
 */
class SelectiveRestoreIT extends OverSharedCluster {
    private String reader;

    @AutoClose
    private BackupService service;

    private Manifest backup;

    @BeforeEach
    void setUp() {
        source = pg.createUniqueDatabase("sel");
        reader = PgCluster.uniqueName("reader");
        pg.execute("postgres", "CREATE ROLE " + reader);
        pg.execute(
                source,
                "CREATE SCHEMA sales",
                "CREATE TYPE public.mood AS ENUM ('ok', 'sad')",
                "CREATE TABLE public.accounts (id serial PRIMARY KEY, name text UNIQUE, m public.mood DEFAULT 'ok')",
                "CREATE INDEX accounts_name_lower ON public.accounts (lower(name))",
                "COMMENT ON TABLE public.accounts IS 'the accounts'",
                "GRANT SELECT ON public.accounts TO " + reader,
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                "CREATE TRIGGER accounts_touch BEFORE INSERT ON public.accounts FOR EACH ROW EXECUTE FUNCTION"
                        + " public.touch()",
                "CREATE TABLE sales.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " account_id int REFERENCES public.accounts (id), total numeric)",
                "CREATE VIEW sales.order_totals AS SELECT account_id, sum(total) FROM sales.orders GROUP BY 1",
                "CREATE TABLE public.audit (id int, account_id int REFERENCES public.accounts (id))",
                "INSERT INTO public.accounts (name) SELECT 'n' || g FROM generate_series(1, 300) g",
                "DELETE FROM public.accounts WHERE id > 250", // the sequence stays ahead of the rows
                "INSERT INTO sales.orders (account_id, total) SELECT 1 + g % 250, g FROM generate_series(1, 500) g",
                "INSERT INTO public.audit SELECT g, 1 + g % 250 FROM generate_series(1, 40) g");
        live = LiveService.over(pg, dir).database("app", source).store("local");
        service = live.open();
        backup = backupOfApp(service);
    }

    private RestoreResult restore(String target, List<String> tables, List<String> schemas) {
        return service.restore(
                new RestoreRequest(backup.id(), null, null, target, RestoreMode.CREATE, null)
                        .selecting(Selection.of(tables, schemas)),
                ctx);
    }

    @Test
    void oneTableComesBackWholeIntoANewDatabaseAndNothingElseWithIt() {
        String target = PgCluster.uniqueName("sel_one");

        RestoreResult result = restore(target, List.of("public.accounts"), List.of());

        assertThat(result.tables()).containsExactly("public.accounts");
        assertThat(result.skipped()).isEmpty();
        assertThat(pg.tableFingerprints(target)).containsOnlyKeys("public.accounts");
        assertThat(pg.tableFingerprints(target).get("public.accounts"))
                .isEqualTo(pg.tableFingerprints(source).get("public.accounts"));
        assertThat(pg.queryValue(
                        target,
                        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename ="
                                + " 'accounts'"))
                .isEqualTo("accounts_name_key,accounts_name_lower,accounts_pkey");
        assertThat(pg.queryValue(target, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
                .isEqualTo("accounts_touch");
        assertThat(pg.queryValue(target, "SELECT last_value FROM public.accounts_id_seq"))
                .isEqualTo("300");
        assertThat(pg.queryValue(target, "SELECT obj_description('public.accounts'::regclass, 'pg_class')"))
                .isEqualTo("the accounts");
        assertThat(pg.queryValue(target, "SELECT has_table_privilege('" + reader + "', 'public.accounts', 'SELECT')"))
                .isEqualTo("t");
        assertThat(pg.queryValue(
                        target, "SELECT column_default FROM information_schema.columns WHERE column_name = 'm'"))
                .isEqualTo("'ok'::mood");
        assertThat(pg.databaseExists(target)).isTrue();
    }

    @Test
    void aForeignKeyToATableLeftOutIsSkippedAndNamedWhileTheRestComesBack() {
        String target = PgCluster.uniqueName("sel_fk");
        RestorePlan plan =
                service.planRestore(new RestoreRequest(backup.id(), null, null, target, RestoreMode.CREATE, null)
                        .selecting(Selection.of(List.of("sales.orders"), List.of())));
        assertThat(plan.skipped())
                .containsExactly("foreign key orders_account_id_fkey of sales.orders: needs public.accounts, which is"
                        + " not restored");

        RestoreResult result = restore(target, List.of("sales.orders"), List.of());

        assertThat(result.tables()).containsExactly("sales.orders");
        assertThat(result.skipped())
                .containsExactly("foreign key orders_account_id_fkey of sales.orders: needs public.accounts, which is"
                        + " not restored");
        assertThat(pg.tableFingerprints(target).get("sales.orders"))
                .isEqualTo(pg.tableFingerprints(source).get("sales.orders"));
        // the identity sequence continues where it was
        pg.execute(target, "INSERT INTO sales.orders (account_id, total) VALUES (1, 1)");
        assertThat(pg.queryValue(target, "SELECT max(id) FROM sales.orders")).isEqualTo("501");
    }

    @Test
    void aSchemaComesBackWithItsViews() {
        String target = PgCluster.uniqueName("sel_schema");

        RestoreResult result = restore(target, List.of(), List.of("sales"));

        assertThat(result.tables()).containsExactly("sales.orders");
        assertThat(pg.queryValue(target, "SELECT count(*) FROM sales.order_totals"))
                .isEqualTo("250");
    }

    @Test
    void tablesTheBackupLacksAreRefusedBeforeAnythingIsCreated() {
        String target = PgCluster.uniqueName("sel_none");

        var e = refused(ErrorCode.NOT_FOUND, () -> restore(target, List.of("public.acounts"), List.of()));

        assertThat(e.getMessage()).contains("public.acounts");
        assertThat(pg.databaseExists(target)).isFalse();
    }

    private RestoreRequest over(List<String> tables) {
        return new RestoreRequest(backup.id(), null, null, null, RestoreMode.REPLACE, null)
                .selecting(Selection.of(tables, List.of()));
    }

    private RestoreResult overConfirmed(List<String> tables) {
        RestorePlan plan = service.planRestore(over(tables));
        return service.restore(over(tables).withToken(plan.confirmation().token()), ctx);
    }

    private List<String> keptSchemas() {
        return pg
                .query(source, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lifeboat\\_prev\\_%' ORDER BY 1")
                .stream()
                .map(r -> r.get(0))
                .toList();
    }

    @Test
    void aDroppedTableComesBackIntoTheLiveDatabaseWithItsForeignKeyAndTheRestIsUntouched() {
        var atBackup = pg.tableFingerprints(source);
        pg.execute(source, "DROP TABLE public.audit", "UPDATE sales.orders SET total = total + 1 WHERE id < 10");
        var others = pg.tableFingerprints(source);

        RestorePlan plan = service.planRestore(over(List.of("public.audit")));
        assertThat(plan.skipped())
                .as("its foreign key to accounts, which the target has, comes back")
                .isEmpty();
        assertThat(plan.destructive()).isTrue();
        assertThat(plan.willReplace()).singleElement().asString().startsWith("public.audit (not there now");
        assertThat(plan.summary()).contains("ONE transaction").contains("rest of the database is untouched");
        RestoreResult result = service.restore(
                over(List.of("public.audit")).withToken(plan.confirmation().token()), ctx);

        assertThat(result.tables()).containsExactly("public.audit");
        assertThat(result.skipped()).isEmpty();
        assertThat(pg.tableFingerprints(source).get("public.audit")).isEqualTo(atBackup.get("public.audit"));
        assertThat(pg.tableFingerprints(source).get("sales.orders")).isEqualTo(others.get("sales.orders"));
        assertThat(pg.tableFingerprints(source).get("public.accounts")).isEqualTo(others.get("public.accounts"));
        // its foreign key to accounts, which the target has, came back too
        assertThat(pg.queryValue(
                        source,
                        "SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'audit_account_id_fkey'"))
                .isEqualTo("accounts");
    }

    @Test
    void replacingATableKeepsTheCurrentOneAsideAndPutsForeignKeysAndViewsBack() {
        pg.execute(source, "CREATE VIEW public.account_names AS SELECT id, name FROM public.accounts");
        var atBackup = pg.tableFingerprints(source);
        pg.execute(
                source, "UPDATE public.accounts SET name = 'changed' || id", "CREATE TABLE public.added_later (x int)");
        var changed = pg.tableFingerprints(source).get("public.accounts");

        RestorePlan plan = service.planRestore(over(List.of("public.accounts")));
        assertThat(plan.dependents())
                .contains(
                        "foreign key orders_account_id_fkey of sales.orders: dropped and added again against the"
                                + " restored rows",
                        "view public.account_names: pointed at the restored tables");
        RestoreResult result = service.restore(
                over(List.of("public.accounts")).withToken(plan.confirmation().token()), ctx);

        var now = pg.tableFingerprints(source);
        assertThat(now.get("public.accounts")).isEqualTo(atBackup.get("public.accounts"));
        assertThat(now).containsKey("public.added_later");
        assertThat(pg.queryValue(source, "SELECT count(*) FROM public.account_names WHERE name LIKE 'changed%'"))
                .isEqualTo("0");
        assertThat(pg.queryValue(
                        source,
                        "SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'orders_account_id_fkey'"))
                .isEqualTo("accounts");
        assertThat(pg.queryValue(
                        source,
                        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid ="
                                + " 'public.accounts'::regclass"))
                .isEqualTo("accounts_touch");
        // the replaced contents are kept, whole, for undo
        assertThat(result.previous()).startsWith("lifeboat_prev_");
        assertThat(keptSchemas()).containsExactly(result.previous());
        assertThat(pg.tableFingerprints(source).get(result.previous() + ".public.accounts"))
                .isEqualTo(changed);
    }

    private UndoResult undo() {
        UndoPlan plan = service.planUndo(new UndoRequest("app", null, null));
        return service.requestUndo(
                        new UndoRequest("app", null, plan.confirmation().token()), ctx)
                .result();
    }

    @Test
    void undoPutsTheReplacedTableBackAndCanItselfBeUndone() {
        pg.execute(source, "CREATE VIEW public.account_names AS SELECT id, name FROM public.accounts");
        pg.execute(source, "UPDATE public.accounts SET name = 'changed' || id");
        var changed = pg.tableFingerprints(source);
        RestoreResult restored = overConfirmed(List.of("public.accounts"));
        var afterRestore = pg.tableFingerprints(source);

        UndoPlan plan = service.planUndo(new UndoRequest("app", null, null));
        assertThat(plan.previous()).isEqualTo(restored.previous());
        assertThat(plan.summary())
                .contains("selective restore of public.accounts")
                .contains("ONE transaction");
        UndoResult undone = undo();

        var now = pg.tableFingerprints(source);
        assertThat(now.get("public.accounts")).isEqualTo(changed.get("public.accounts"));
        assertThat(now.get("sales.orders")).isEqualTo(changed.get("sales.orders"));
        assertThat(pg.queryValue(source, "SELECT count(*) FROM public.account_names WHERE name LIKE 'changed%'"))
                .isEqualTo("250");
        assertThat(pg.queryValue(
                        source,
                        "SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'orders_account_id_fkey'"))
                .isEqualTo("accounts");
        // the restore's schema is gone (emptied); what the restore brought is kept in turn
        assertThat(keptSchemas()).containsExactly(undone.currentKeptAs());

        undo();

        assertThat(pg.tableFingerprints(source).get("public.accounts")).isEqualTo(afterRestore.get("public.accounts"));
    }

    @Test
    void undoOfARestoredDroppedTableRemovesItAgain() {
        pg.execute(source, "DROP TABLE public.audit");
        var dropped = pg.tableFingerprints(source);
        overConfirmed(List.of("public.audit"));
        assertThat(pg.tableFingerprints(source)).containsKey("public.audit");

        undo();

        var outsideKept = pg.tableFingerprints(source).keySet().stream()
                .filter(k -> !k.startsWith("lifeboat_prev_"))
                .toList();
        assertThat(outsideKept).containsExactlyInAnyOrderElementsOf(dropped.keySet());
    }

    @Test
    void pruneDropsKeptTablesOnceTheyExpireAndUndoNoLongerOffersThem() {
        RestoreResult restored = overConfirmed(List.of("public.accounts"));
        String comment = pg.queryValue(source, "SELECT obj_description('" + restored.previous() + "'::regnamespace)");
        // as if keep_previous had passed
        pg.execute(
                source,
                "COMMENT ON SCHEMA " + restored.previous() + " IS '"
                        + comment.replaceAll("\"expires_at\":\"[^\"]+\"", "\"expires_at\":\"2020-01-01T00:00:00Z\"")
                        + "'");

        refused(ErrorCode.NOT_FOUND, () -> service.planUndo(new UndoRequest("app", null, null)));
        var plan = service.planPrune(null, null);
        assertThat(plan.expiredCopies()).singleElement().satisfies(c -> {
            assertThat(c.keptTables()).isTrue();
            assertThat(c.name()).isEqualTo(restored.previous());
            assertThat(c.target()).isEqualTo(source);
        });
        service.prune(null, null, plan.confirmation().token(), ctx);

        assertThat(keptSchemas()).isEmpty();
        assertThat(pg.tableFingerprints(source)).containsKey("public.accounts");
    }

    /** A session reading public.accounts in an open transaction: its lock holds up ALTER TABLE. */
    private java.sql.Connection readingAccounts() throws java.sql.SQLException {
        java.sql.Connection c = pg.connect(source);
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            st.execute("SELECT count(*) FROM public.accounts");
        }
        return c;
    }

    @Test
    void aRestoreThatWaitsLongerThanTheLockTimeoutGivesUpNamingTheSessionAndChangesNothing() throws Exception {
        service.close();
        service = LiveService.over(pg, dir)
                .database("app", source, d -> d.set("restore_lock_timeout", "1s"))
                .store("local")
                .open();
        var before = pg.tableFingerprints(source);
        try (java.sql.Connection reader = readingAccounts()) {
            var e = refused(ErrorCode.BUSY, () -> overConfirmed(List.of("public.accounts")));

            assertThat(e.getMessage()).contains("waited 1s for a lock");
        }
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(keptSchemas()).isEmpty();
    }

    @Test
    void aCancelledRestoreStopsAtOnceAndChangesNothing() throws Exception {
        var before = pg.tableFingerprints(source);
        OperationContext cancellable = OperationContext.of("test", "tester");
        RestorePlan plan = service.planRestore(over(List.of("public.accounts")));
        try (java.sql.Connection reader = readingAccounts()) {
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    service.restore(
                            over(List.of("public.accounts"))
                                    .withToken(plan.confirmation().token()),
                            cancellable);
                    return null;
                } catch (dev.lifeboat.core.base.LifeboatException e) {
                    return e;
                }
            });
            // the restore's psql is waiting for the reader's lock
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (pg.queryValue(
                                    "postgres",
                                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                                            + " 'lifeboat-restore-%' AND wait_event_type = 'Lock'")
                            .equals("0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long cancelledAt = System.nanoTime();
            cancellable.cancel().cancel();

            var e = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.code()).as(e.toString()).isEqualTo(ErrorCode.CANCELLED);
            // it did not sit out the 30 s restore_lock_timeout
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - cancelledAt))
                    .isLessThan(java.time.Duration.ofSeconds(20));
        }
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(keptSchemas()).isEmpty();
    }

    @Test
    void aRestoreWhoseRowsAForeignKeyStillNeedsChangesNothing() {
        pg.execute(
                source,
                "INSERT INTO public.accounts (id, name) VALUES (9001, 'new customer')",
                "INSERT INTO sales.orders (account_id, total) VALUES (9001, 99)");
        var before = pg.tableFingerprints(source);

        var e = refused(ErrorCode.INTEGRITY_FAILED, () -> overConfirmed(List.of("public.accounts")));

        assertThat(e.getMessage()).contains("orders_account_id_fkey").contains("is as it was");
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
        assertThat(keptSchemas()).isEmpty();
    }

    @Test
    void theTokenIsBoundToTheSelection() {
        RestorePlan plan = service.planRestore(over(List.of("public.accounts")));

        refused(
                ErrorCode.TOKEN_REJECTED,
                () -> service.restore(
                        over(List.of("public.audit"))
                                .withToken(plan.confirmation().token()),
                        ctx));
        refused(ErrorCode.CONFIRMATION_REQUIRED, () -> service.restore(over(List.of("public.audit")), ctx));
    }

    @Test
    void aMaterializedViewOverATableIsRefusedInThePlanAndACleanSelectionToo() {
        pg.execute(source, "CREATE MATERIALIZED VIEW public.account_count AS SELECT count(*) FROM public.accounts");

        var e = refused(ErrorCode.INVALID_ARGUMENT, () -> service.planRestore(over(List.of("public.accounts"))));
        assertThat(e.getMessage()).contains("account_count");
        refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> service.planRestore(new RestoreRequest(backup.id(), null, null, null, RestoreMode.CLEAN, null)
                        .selecting(Selection.of(List.of("public.audit"), List.of()))));
    }

    @Test
    void aSelectiveDrillRestoresAndComparesOnlyItsTablesAndDoesNotCountAsAWholeDrill() {
        var report = service.verify(
                backup.id(),
                null,
                dev.lifeboat.core.verify.VerifyLevel.RESTORE,
                Selection.of(List.of("sales.orders"), List.of()),
                ctx);

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.drill().selection()).containsExactly("sales.orders");
        assertThat(report.drill().tables())
                .extracting(dev.lifeboat.core.catalog.DrillRecord.TableResult::table)
                .containsExactly("sales.orders");
        assertThat(report.drill().tables().get(0).restoredRows()).isEqualTo(500);
        // the evidence is kept, but it does not prove the whole backup restores
        var app = service.status().sources().stream()
                .filter(x -> x.name().equals("app"))
                .findFirst()
                .orElseThrow();
        assertThat(app.newestDrill().result()).isEqualTo("PASS");
        assertThat(app.newestPassingDrill()).isNull();
        refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> service.verify(
                        backup.id(),
                        null,
                        dev.lifeboat.core.verify.VerifyLevel.CHECKSUM,
                        Selection.of(List.of("sales.orders"), List.of()),
                        ctx));
    }

    @Test
    void theContentsNameWhatASelectionCanChoose() {
        BackupContents contents = service.contents(backup.id(), null, ctx);

        assertThat(contents.schemas()).containsExactly("public", "sales");
        assertThat(contents.tables())
                .extracting(TableSummary::qualifiedName)
                .containsExactlyInAnyOrder("public.accounts", "public.audit", "sales.orders");
        // with the row counts the manifest recorded
        assertThat(contents.tables()).containsExactlyInAnyOrderElementsOf(backup.tables());
        assertThat(contents.views()).containsExactly("sales.order_totals");
        assertThat(contents.objects())
                .containsEntry("function", 1)
                .containsEntry("trigger", 1)
                .containsEntry("type", 1);
    }
}

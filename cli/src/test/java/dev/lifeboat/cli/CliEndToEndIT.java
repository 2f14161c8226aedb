package dev.lifeboat.cli;

import static dev.lifeboat.cli.CliRun.plus;
import static dev.lifeboat.cli.CliSession.json;
import static dev.lifeboat.cli.CliSession.typing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.Tampering;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real commands, in-process, against a real PostgreSQL (scram-sha-256) with real pg_dump and
 * pg_restore and a local store: every output of every run is kept and checked for the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndIT {
    @TempDir
    static Path dir;

    private PgCluster cluster;
    private String source;
    private LiveService live;
    private CliSession cli;
    private String backupId;

    @BeforeAll
    void createSourceDatabaseAndFirstBackup() {
        cluster = PgCluster.shared();
        source = SampleData.database(cluster, "cli_src", 300);
        live = LiveService.over(cluster, dir).database("app", source).store("local");
        cli = new CliSession(live, live.write());

        CliRun.Result created = cli.run("backup", "create", "--label", "first", "--tag", "ticket=OPS-7", "--json");
        assertThat(created.exitCode()).as(created.all()).isZero();
        JsonNode manifest = json(created).get("manifest");
        backupId = manifest.get("id").asString();
        assertThat(manifest.get("database").asString()).isEqualTo("app");
        assertThat(manifest.get("label").asString()).isEqualTo("first");
        assertThat(manifest.get("tags").get("ticket").asString()).isEqualTo("OPS-7");
        assertThat(manifest.get("sha256").asString()).hasSize(64);
    }

    @AfterAll
    void noRunEverPrintedThePassword() {
        cli.assertNoRunPrinted(cluster.password());
    }

    @Test
    void backupIsListedShownVerifiedAndRestoredIntoANewDatabase() {
        CliRun.Result list = cli.run("backup", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("ID", backupId, "first");

        CliRun.Result listJson = cli.run("backup", "list", "--since", "1h", "--limit", "5", "--json");
        assertThat(json(listJson)
                        .get("backups")
                        .get(0)
                        .get("manifest")
                        .get("id")
                        .asString())
                .isNotNull();
        assertThat(listJson.out()).contains(backupId);

        CliRun.Result get = cli.run("backup", "get", backupId);
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).contains(backupId, "sha256", "public.numbers");

        CliRun.Result verify = cli.run("verify", backupId, "--level", "archive");
        assertThat(verify.exitCode()).as(verify.all()).isZero();
        assertThat(verify.out()).startsWith("PASSED").contains("sha256", "archive-toc");

        String copy = PgCluster.uniqueName("cli_new");
        CliRun.Result restore = cli.run("restore", backupId, "--target-database", copy);
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(restore.out()).contains("restored " + backupId + " into " + copy);
        assertThat(cluster.tableFingerprints(copy)).isEqualTo(cluster.tableFingerprints(source));
    }

    @Test
    void aRestoreDrillPassesLeavesNoScratchDatabaseAndIsListed() {
        CliRun.Result drill = cli.run("verify", backupId, "--level", "restore");
        assertThat(drill.exitCode()).as(drill.all()).isZero();
        assertThat(drill.out()).startsWith("PASSED").contains("restore drill PASS", "dropped", "public.numbers");
        assertThat(cluster.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill%'"))
                .isEmpty();

        CliRun.Result list = cli.run("drill", "list", "--database", "app");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.out()).contains(backupId, "PASS", "tester");
        JsonNode drills = json(cli.run("drill", "list", "--json")).get("drills");
        assertThat(drills.get(0).get("backup_id").asString()).isEqualTo(backupId);
        assertThat(drills.get(0).get("result").asString()).isEqualTo("PASS");

        CliRun.Result markdown = cli.run("drill", "show", backupId);
        assertThat(markdown.exitCode()).as(markdown.all()).isZero();
        assertThat(markdown.out())
                .startsWith("# Restore drill: PASS")
                .contains("| Backup SHA-256 |", "`public.numbers`", "dropped afterwards", "| pass |");
        assertThat(cli.run("drill", "show", "app-20200101T000000Z-0000").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void cleanRestoreWithoutATokenPrintsThePlanExitsSevenAndTouchesNothing() {
        String target = changedCopy("cli_notoken");
        var before = cluster.tableFingerprints(target);

        CliRun.Result text = cli.run("restore", backupId, "--target-database", target, "--clean");
        assertThat(text.exitCode()).as(text.all()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(text.out())
                .contains("DESTRUCTIVE", target, "confirmation required", "--clean --confirm ", "public.marker");

        CliRun.Result json = cli.run("restore", backupId, "--target-database", target, "--clean", "--json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        JsonNode doc = json(json);
        assertThat(doc.get("status").asString()).isEqualTo("confirmation_required");
        assertThat(doc.get("plan").get("destructive").asBoolean()).isTrue();
        assertThat(doc.get("plan").get("confirmation").get("token").asString()).isNotBlank();
        assertThat(doc.get("plan").get("confirmation").get("expires_at").asString())
                .endsWith("Z");
        assertThat(doc.get("next_command").asString()).contains("--confirm ");

        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);
    }

    @Test
    void cleanRestoreWithThePlannedTokenRestoresAndTheTokenIsSingleUse() {
        String target = changedCopy("cli_token");
        CliRun.Result plan = cli.run("restore", backupId, "--target-dbname", target, "--clean", "--plan", "--json");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode doc = json(plan);
        assertThat(doc.get("status").asString()).isEqualTo("planned");
        String token = doc.get("plan").get("confirmation").get("token").asString();
        assertThat(doc.get("next_command").asString())
                .isEqualTo("lifeboat restore " + backupId + " --target-dbname " + target + " --clean --confirm " + token
                        + " --json");

        CliRun.Result restore =
                cli.run("restore", backupId, "--target-dbname", target, "--clean", "--confirm", token, "--json");
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(json(restore).get("status").asString()).isEqualTo("restored");
        var restored = cluster.tableFingerprints(target);
        assertThat(restored).containsAllEntriesOf(cluster.tableFingerprints(source));
        assertThat(restored).containsKey("public.marker");

        cluster.execute(target, "DELETE FROM public.numbers WHERE id <= 3");
        var changed = cluster.tableFingerprints(target);
        CliRun.Result replay = cli.run("restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(replay.exitCode()).isEqualTo(ExitCodes.TOKEN_REJECTED);
        assertThat(cluster.tableFingerprints(target)).isEqualTo(changed);
    }

    @Test
    void replaceGivesBackExactlyTheBackupAndUndoGivesBackTheStateBefore() {
        String target = changedCopy("cli_replace");
        var before = cluster.tableFingerprints(target);

        CliRun.Result refused = cli.run("restore", backupId, "--target-dbname", target);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.ALREADY_EXISTS);
        assertThat(refused.err()).contains("--replace");

        CliRun.Result plan = cli.run("restore", backupId, "--target-dbname", target, "--replace", "--plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("DESTRUCTIVE", "gone after", "public.marker", "undo", target + "__prev_");
        String token = json(cli.run("restore", backupId, "--target-dbname", target, "--replace", "--plan", "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result done = cli.run("restore", backupId, "--target-dbname", target, "--replace", "--confirm", token);
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(done.out())
                .contains("(replace)", "previous   kept as " + target + "__prev_", "restore undo app", "swap ");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(cluster.tableFingerprints(source));

        CliRun.Result kept = cli.run("restore", "kept", "app", "--target-dbname", target);
        assertThat(kept.exitCode()).as(kept.all()).isZero();
        assertThat(kept.out()).contains(target + "__prev_", "undo can put it back");

        CliRun.Result undoPlan = cli.run("restore", "undo", "app", "--target-dbname", target, "--json");
        assertThat(undoPlan.exitCode()).as(undoPlan.all()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        String undoToken =
                json(undoPlan).get("plan").get("confirmation").get("token").asString();
        CliRun.Result wrongToken = cli.run("restore", "undo", "app", "--target-dbname", target, "--confirm", token);
        assertThat(wrongToken.exitCode()).isEqualTo(ExitCodes.TOKEN_REJECTED);

        CliRun.Result undone = cli.run("restore", "undo", "app", "--target-dbname", target, "--confirm", undoToken);
        assertThat(undone.exitCode()).as(undone.all()).isZero();
        assertThat(undone.out()).contains("undone: " + target);
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result both = cli.run("restore", backupId, "--target-dbname", target, "--replace", "--clean");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void oneTableComesBackIntoTheLiveDatabaseAndUndoPutsTheChangedOneBack() {
        String target = changedCopy("cli_table");
        var before = cluster.tableFingerprints(target);

        CliRun.Result contents = cli.run("backup", "get", backupId, "--contents");
        assertThat(contents.exitCode()).as(contents.all()).isZero();
        assertThat(contents.out()).contains("table", "public.numbers", "--table SCHEMA.TABLE");

        String[] args = {"restore", backupId, "--target-dbname", target, "--table", "public.numbers", "--replace"};
        CliRun.Result plan = cli.run(plus(args, "--plan"));
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("DESTRUCTIVE", "only", "table public.numbers", "ONE transaction");
        String token = json(cli.run(plus(args, "--plan", "--json")))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        CliRun.Result done = cli.run(plus(args, "--confirm", token));
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(done.out()).contains("tables     public.numbers", "lifeboat_prev_");
        var now = cluster.tableFingerprints(target);
        assertThat(now.get("public.numbers"))
                .isEqualTo(cluster.tableFingerprints(source).get("public.numbers"));
        assertThat(now.get("public.marker")).as("the rest is untouched").isEqualTo(before.get("public.marker"));

        CliRun.Result kept = cli.run("restore", "kept", "app", "--target-dbname", target);
        assertThat(kept.out()).contains("lifeboat_prev_", "public.numbers", "undo can put them back");

        String undoToken = json(cli.run("restore", "undo", "app", "--target-dbname", target, "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        CliRun.Result undone = cli.run("restore", "undo", "app", "--target-dbname", target, "--confirm", undoToken);
        assertThat(undone.exitCode()).as(undone.all()).isZero();
        assertThat(cluster.tableFingerprints(target).get("public.numbers")).isEqualTo(before.get("public.numbers"));

        CliRun.Result drill = cli.run("verify", backupId, "--level", "restore", "--table", "public.numbers");
        assertThat(drill.exitCode()).as(drill.all()).isZero();
        assertThat(drill.out()).contains("only public.numbers");
    }

    @Test
    void aBadTokenIsRejectedWithExitEightAndTouchesNothing() {
        String target = changedCopy("cli_badtoken");
        var before = cluster.tableFingerprints(target);
        CliRun.Result r = cli.run("restore", backupId, "--target-database", target, "--clean", "--confirm", "forged");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.TOKEN_REJECTED);
        assertThat(r.err()).startsWith("error: TOKEN_REJECTED: ").doesNotContain("\tat ");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result json =
                cli.run("restore", backupId, "--target-database", target, "--clean", "--confirm", "forged", "--json");
        assertThat(json(json).get("error").get("code").asString()).isEqualTo("TOKEN_REJECTED");
        assertThat(json.err()).isEmpty();
    }

    @Test
    void atATerminalTypingTheDatabaseNameConfirmsAndAnythingElseRefuses() {
        String target = changedCopy("cli_tty");
        var before = cluster.tableFingerprints(target);

        CliRun.Result wrong =
                cli.run(typing("not-" + target), "restore", backupId, "--target-database", target, "--clean");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(wrong.err()).contains("DESTRUCTIVE", "nothing was changed");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result right = cli.run(typing(target), "restore", backupId, "--target-database", target, "--clean");
        assertThat(right.exitCode()).as(right.all()).isZero();
        assertThat(right.err()).as("a progress line on the terminal").contains("\r");
        assertThat(cluster.tableFingerprints(target)).containsAllEntriesOf(cluster.tableFingerprints(source));
    }

    @Test
    void inOperatorModeTheTokenWorksOnlyAfterAPersonApprovesThePlan() {
        Map<String, String> operator = cli.on(live.write("operator.yaml", c -> c.approval("operator")));
        String target = changedCopy("cli_operator");
        var before = cluster.tableFingerprints(target);

        CliRun.Result plan = cli.run(operator, "restore", backupId, "--target-database", target, "--clean", "--plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode confirmation = json(cli.run(
                        operator, "restore", backupId, "--target-database", target, "--clean", "--plan", "--json"))
                .get("plan")
                .get("confirmation");
        assertThat(confirmation.get("operator_approval").asBoolean()).isTrue();
        String planId = confirmation.get("plan_id").asString();
        String token = confirmation.get("token").asString();
        assertThat(plan.out()).contains("lifeboat approve ");

        CliRun.Result early =
                cli.run(operator, "restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(early.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(early.err()).contains("lifeboat approve " + planId);
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        // approving takes a person at a terminal, typing the name of the database the plan replaces
        assertThat(cli.run(operator, "approve", planId).exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        CliRun.Result approve = cli.run(operator, CliSession.typing(target), "approve", planId);
        assertThat(approve.exitCode()).as(approve.all()).isZero();
        assertThat(approve.err()).contains("Plan " + planId, target);
        assertThat(approve.out()).contains(planId, "tester");

        CliRun.Result restore =
                cli.run(operator, "restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(cluster.tableFingerprints(target)).containsAllEntriesOf(cluster.tableFingerprints(source));
    }

    @Test
    void deleteNeedsItsTokenThenTheBackupIsGone() {
        String id = json(cli.run("backup", "create", "--label", "to delete", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        CliRun.Result refused = cli.run("backup", "delete", id);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(cli.run("backup", "get", id).exitCode()).isZero();

        String token = json(cli.run("backup", "delete", id, "--plan", "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        // --allow-last: run alone, this may be the only backup of its database, which the plan guards
        CliRun.Result deleted = cli.run("backup", "delete", id, "--confirm", token, "--allow-last");
        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        assertThat(deleted.out()).contains("deleted " + id);

        CliRun.Result gone = cli.run("backup", "get", id, "--json");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(json(gone).get("error").get("code").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void pruneIsADryRunUntilGivenItsToken() {
        // its own store, so pruning cannot touch the other tests' backups
        Map<String, String> pruneEnv = cli.on(live.write(
                "prune.yaml",
                c -> c.store("local", dir.resolve("prune-store")).database("app", db -> db.retention("keep_last", 1))));
        String older = json(cli.run(pruneEnv, "backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        String newer = json(cli.run(pruneEnv, "backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();

        CliRun.Result dry = cli.run(pruneEnv, "prune");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("remove")
                .contains(older)
                .contains("keep_last")
                .contains("--confirm");
        assertThat(cli.run(pruneEnv, "backup", "get", older).exitCode()).isZero();

        String token = json(cli.run(pruneEnv, "prune", "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        CliRun.Result done = cli.run(pruneEnv, "prune", "--confirm", token);
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(cli.run(pruneEnv, "backup", "get", older).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run(pruneEnv, "backup", "get", newer).exitCode()).isZero();
        assertThat(cli.run(pruneEnv, "prune", "--confirm", token).exitCode()).isZero(); // nothing left to remove
    }

    @Test
    void backupCopyReplicatesToASecondStoreWithTheSameIdAndChecksum() {
        Map<String, String> copyEnv = cli.on(live.write(
                "copy.yaml",
                c -> c.store("offsite", dir.resolve("offsite-store")).defaultStore("local")));

        CliRun.Result copied = cli.run(copyEnv, "backup", "copy", backupId, "--to", "offsite");
        assertThat(copied.exitCode()).as(copied.all()).isZero();
        assertThat(copied.out()).contains("copied " + backupId).contains("verified on arrival");
        JsonNode there = json(cli.run(copyEnv, "backup", "get", backupId, "--store", "offsite", "--json"));
        JsonNode here = json(cli.run(copyEnv, "backup", "get", backupId, "--store", "local", "--json"));
        assertThat(there.get("manifest")).isEqualTo(here.get("manifest"));
        assertThat(cli.run(copyEnv, "backup", "copy", backupId, "--to", "offsite")
                        .out())
                .contains("already in");
        CliRun.Result same = cli.run(copyEnv, "backup", "copy", backupId, "--store", "local", "--to", "local");
        assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aCorruptedBackupFailsVerifyWithExitSixAndIsNotRestored() {
        String id = json(cli.run("backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        Tampering.flipMiddleByte(live.data("local", "app", id), 0x01);

        CliRun.Result verify = cli.run("verify", id, "--json");
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        JsonNode report = json(verify);
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(verify.out()).contains("sha256");

        CliRun.Result text = cli.run("verify", id);
        assertThat(text.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        assertThat(text.out()).startsWith("FAILED").contains("FAILED");

        String target = PgCluster.uniqueName("cli_corrupt");
        CliRun.Result restore = cli.run("restore", id, "--target-database", target);
        assertThat(restore.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        assertThat(restore.err()).contains("error: INTEGRITY_FAILED: ");
        assertThat(cluster.databaseExists(target)).isFalse();
    }

    @Test
    void unknownBackupsAndInvalidIdsHaveTheirOwnExitCodes() {
        CliRun.Result missing = cli.run("backup", "get", "app-20200101T000000Z-0000");
        assertThat(missing.exitCode()).as(missing.all()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("error: NOT_FOUND: ", "hint: ");

        CliRun.Result invalid = cli.run("verify", "../../etc/passwd");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("invalid backup id");
    }

    @Test
    void anUnreachableOrRefusingServerIsExitNine() {
        Map<String, String> wrongPassword = cli.envWith(LiveService.PASSWORD_ENV, "Wrong-" + cluster.password());
        CliRun.Result refused = cli.run(wrongPassword, "backup", "create");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(refused.all()).doesNotContain("Wrong-");

        Map<String, String> nowhere = cli.on(live.write("nowhere.yaml", c -> c.database("app", db -> db.port(1))));
        CliRun.Result unreachable = cli.run(nowhere, "backup", "create", "--json");
        assertThat(unreachable.exitCode()).as(unreachable.all()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(json(unreachable).get("error").get("code").asString()).isEqualTo("DATABASE_UNREACHABLE");
        // the manifests are still readable while the database is down
        assertThat(cli.run(nowhere, "backup", "list").out()).contains(backupId);
    }

    @Test
    void configCheckPrintsTheInventoryWithoutSecrets() {
        CliRun.Result r = cli.run("config", "check");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("configuration OK", "app", LiveService.PASSWORD_ENV, "local", "file:");

        CliRun.Result json = cli.run("config", "check", "--json");
        JsonNode inventory = json(json).get("inventory");
        assertThat(inventory.get("databases").get(0).get("name").asString()).isEqualTo("app");
        assertThat(inventory.get("databases").get(0).get("port").asInt()).isEqualTo(cluster.port());
    }

    // ---- helpers ----

    /** A new database restored from the backup and then changed, so a restore over it is visible. */
    private String changedCopy(String prefix) {
        String name = PgCluster.uniqueName(prefix);
        CliRun.Result r = cli.run("restore", backupId, "--target-database", name);
        assertThat(r.exitCode()).as(r.all()).isZero();
        cluster.execute(
                name,
                "CREATE TABLE public.marker (note text)",
                "INSERT INTO public.marker VALUES ('written after the backup')",
                "DELETE FROM public.numbers WHERE id <= 10");
        return name;
    }
}

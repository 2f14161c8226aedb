package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    private final List<CliRun.Result> runs = new ArrayList<>();
    private PgCluster cluster;
    private String source;
    private Path config;
    private Map<String, String> env;
    private String backupId;

    @BeforeAll
    void createSourceDatabaseAndFirstBackup() throws IOException {
        cluster = PgCluster.shared();
        source = cluster.createUniqueDatabase("cli_src");
        SampleData.create(cluster, source, 300);
        config = writeConfig("lifeboat.yaml", cluster.port());
        env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("LB_IT_PASSWORD", cluster.password());
        env.put("LIFEBOAT_CONFIG", config.toString());

        CliRun.Result created = lifeboat("backup", "create", "--label", "first", "--tag", "ticket=OPS-7", "--json");
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
        assertThat(runs).isNotEmpty();
        for (CliRun.Result r : runs) {
            assertThat(r.all()).doesNotContain(cluster.password());
        }
    }

    @Test
    void backupIsListedShownVerifiedAndRestoredIntoANewDatabase() {
        CliRun.Result list = lifeboat("backup", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("ID", backupId, "first");

        CliRun.Result listJson = lifeboat("backup", "list", "--since", "1h", "--limit", "5", "--json");
        assertThat(json(listJson)
                        .get("backups")
                        .get(0)
                        .get("manifest")
                        .get("id")
                        .asString())
                .isNotNull();
        assertThat(listJson.out()).contains(backupId);

        CliRun.Result get = lifeboat("backup", "get", backupId);
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).contains(backupId, "sha256", "public.numbers");

        CliRun.Result verify = lifeboat("verify", backupId, "--level", "archive");
        assertThat(verify.exitCode()).as(verify.all()).isZero();
        assertThat(verify.out()).startsWith("PASSED").contains("sha256", "archive-toc");

        String copy = uniqueName("cli_new");
        CliRun.Result restore = lifeboat("restore", backupId, "--target-database", copy);
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(restore.out()).contains("restored " + backupId + " into " + copy);
        assertThat(cluster.tableFingerprints(copy)).isEqualTo(cluster.tableFingerprints(source));
    }

    @Test
    void aRestoreDrillPassesLeavesNoScratchDatabaseAndIsListed() {
        CliRun.Result drill = lifeboat("verify", backupId, "--level", "restore");
        assertThat(drill.exitCode()).as(drill.all()).isZero();
        assertThat(drill.out()).startsWith("PASSED").contains("restore drill PASS", "dropped", "public.numbers");
        assertThat(cluster.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill%'"))
                .isEmpty();

        CliRun.Result list = lifeboat("drill", "list", "--database", "app");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.out()).contains(backupId, "PASS", "tester");
        JsonNode drills = json(lifeboat("drill", "list", "--json")).get("drills");
        assertThat(drills.get(0).get("backup_id").asString()).isEqualTo(backupId);
        assertThat(drills.get(0).get("result").asString()).isEqualTo("PASS");

        CliRun.Result markdown = lifeboat("drill", "show", backupId);
        assertThat(markdown.exitCode()).as(markdown.all()).isZero();
        assertThat(markdown.out())
                .startsWith("# Restore drill: PASS")
                .contains("| Backup SHA-256 |", "`public.numbers`", "dropped afterwards", "| pass |");
        assertThat(lifeboat("drill", "show", "app-20200101T000000Z-0000").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void cleanRestoreWithoutATokenPrintsThePlanExitsSevenAndTouchesNothing() {
        String target = changedCopy("cli_notoken");
        var before = cluster.tableFingerprints(target);

        CliRun.Result text = lifeboat("restore", backupId, "--target-database", target, "--clean");
        assertThat(text.exitCode()).as(text.all()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(text.out())
                .contains("DESTRUCTIVE", target, "confirmation required", "--clean --confirm ", "public.marker");

        CliRun.Result json = lifeboat("restore", backupId, "--target-database", target, "--clean", "--json");
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
        CliRun.Result plan = lifeboat("restore", backupId, "--target-dbname", target, "--clean", "--plan", "--json");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode doc = json(plan);
        assertThat(doc.get("status").asString()).isEqualTo("planned");
        String token = doc.get("plan").get("confirmation").get("token").asString();
        assertThat(doc.get("next_command").asString())
                .isEqualTo("lifeboat restore " + backupId + " --target-dbname " + target + " --clean --confirm " + token
                        + " --json");

        CliRun.Result restore =
                lifeboat("restore", backupId, "--target-dbname", target, "--clean", "--confirm", token, "--json");
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(json(restore).get("status").asString()).isEqualTo("restored");
        var restored = cluster.tableFingerprints(target);
        assertThat(restored).containsAllEntriesOf(cluster.tableFingerprints(source));
        assertThat(restored).containsKey("public.marker");

        cluster.execute(target, "DELETE FROM public.numbers WHERE id <= 3");
        var changed = cluster.tableFingerprints(target);
        CliRun.Result replay =
                lifeboat("restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(replay.exitCode()).isEqualTo(ExitCodes.TOKEN_REJECTED);
        assertThat(cluster.tableFingerprints(target)).isEqualTo(changed);
    }

    @Test
    void aBadTokenIsRejectedWithExitEightAndTouchesNothing() {
        String target = changedCopy("cli_badtoken");
        var before = cluster.tableFingerprints(target);
        CliRun.Result r = lifeboat("restore", backupId, "--target-database", target, "--clean", "--confirm", "forged");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.TOKEN_REJECTED);
        assertThat(r.err()).startsWith("error: TOKEN_REJECTED: ").doesNotContain("\tat ");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result json =
                lifeboat("restore", backupId, "--target-database", target, "--clean", "--confirm", "forged", "--json");
        assertThat(json(json).get("error").get("code").asString()).isEqualTo("TOKEN_REJECTED");
        assertThat(json.err()).isEmpty();
    }

    @Test
    void atATerminalTypingTheDatabaseNameConfirmsAndAnythingElseRefuses() {
        String target = changedCopy("cli_tty");
        var before = cluster.tableFingerprints(target);

        CliRun.Result wrong =
                lifeboat(typing("not-" + target), "restore", backupId, "--target-database", target, "--clean");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(wrong.err()).contains("DESTRUCTIVE", "nothing was changed");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result right = lifeboat(typing(target), "restore", backupId, "--target-database", target, "--clean");
        assertThat(right.exitCode()).as(right.all()).isZero();
        assertThat(right.err()).as("a progress line on the terminal").contains("\r");
        assertThat(cluster.tableFingerprints(target)).containsAllEntriesOf(cluster.tableFingerprints(source));
    }

    @Test
    void inOperatorModeTheTokenWorksOnlyAfterAPersonApprovesThePlan() throws IOException {
        Map<String, String> operator = new HashMap<>(env);
        operator.put(
                "LIFEBOAT_CONFIG",
                writeConfig("operator.yaml", cluster.port(), "confirm:\n  approval: operator\n")
                        .toString());
        String target = changedCopy("cli_operator");
        var before = cluster.tableFingerprints(target);

        CliRun.Result plan = lifeboat(operator, "restore", backupId, "--target-database", target, "--clean", "--plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode confirmation = json(lifeboat(
                        operator, "restore", backupId, "--target-database", target, "--clean", "--plan", "--json"))
                .get("plan")
                .get("confirmation");
        assertThat(confirmation.get("operator_approval").asBoolean()).isTrue();
        String planId = confirmation.get("plan_id").asString();
        String token = confirmation.get("token").asString();
        assertThat(plan.out()).contains("lifeboat approve ");

        CliRun.Result early =
                lifeboat(operator, "restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(early.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(early.err()).contains("lifeboat approve " + planId);
        assertThat(cluster.tableFingerprints(target)).isEqualTo(before);

        CliRun.Result approve = lifeboat(operator, "approve", planId);
        assertThat(approve.exitCode()).as(approve.all()).isZero();
        assertThat(approve.out()).contains(planId, "tester");

        CliRun.Result restore =
                lifeboat(operator, "restore", backupId, "--target-database", target, "--clean", "--confirm", token);
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(cluster.tableFingerprints(target)).containsAllEntriesOf(cluster.tableFingerprints(source));
    }

    @Test
    void deleteNeedsItsTokenThenTheBackupIsGone() {
        String id = json(lifeboat("backup", "create", "--label", "to delete", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        CliRun.Result refused = lifeboat("backup", "delete", id);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(lifeboat("backup", "get", id).exitCode()).isZero();

        String token = json(lifeboat("backup", "delete", id, "--plan", "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        CliRun.Result deleted = lifeboat("backup", "delete", id, "--confirm", token);
        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        assertThat(deleted.out()).contains("deleted " + id);

        CliRun.Result gone = lifeboat("backup", "get", id, "--json");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(json(gone).get("error").get("code").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void pruneIsADryRunUntilGivenItsToken() throws IOException {
        // its own store, so pruning cannot touch the other tests' backups
        Path own = dir.resolve("prune.yaml");
        Files.writeString(
                own,
                Files.readString(config)
                        .replace(
                                dir.resolve("store").toUri().toString(),
                                dir.resolve("prune-store").toUri().toString())
                        .replace(
                                "    password_env: LB_IT_PASSWORD\n",
                                "    password_env: LB_IT_PASSWORD\n    retention: {keep_last: 1}\n"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> pruneEnv = new HashMap<>(env);
        pruneEnv.put("LIFEBOAT_CONFIG", own.toString());
        String older = json(lifeboat(pruneEnv, "backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        String newer = json(lifeboat(pruneEnv, "backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();

        CliRun.Result dry = lifeboat(pruneEnv, "prune");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("remove")
                .contains(older)
                .contains("keep_last")
                .contains("--confirm");
        assertThat(lifeboat(pruneEnv, "backup", "get", older).exitCode()).isZero();

        String token = json(lifeboat(pruneEnv, "prune", "--json"))
                .get("plan")
                .get("confirmation")
                .get("token")
                .asString();
        CliRun.Result done = lifeboat(pruneEnv, "prune", "--confirm", token);
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(lifeboat(pruneEnv, "backup", "get", older).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(lifeboat(pruneEnv, "backup", "get", newer).exitCode()).isZero();
        assertThat(lifeboat(pruneEnv, "prune", "--confirm", token).exitCode()).isZero(); // nothing left to remove
    }

    @Test
    void backupCopyReplicatesToASecondStoreWithTheSameIdAndChecksum() throws IOException {
        Path own = dir.resolve("copy.yaml");
        Files.writeString(
                own,
                Files.readString(config)
                        .replace(
                                "state_dir:",
                                "  offsite:\n    uri: "
                                        + dir.resolve("offsite-store").toUri() + "\n"
                                        + "defaults:\n  store: local\nstate_dir:"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> copyEnv = new HashMap<>(env);
        copyEnv.put("LIFEBOAT_CONFIG", own.toString());

        CliRun.Result copied = lifeboat(copyEnv, "backup", "copy", backupId, "--to", "offsite");
        assertThat(copied.exitCode()).as(copied.all()).isZero();
        assertThat(copied.out()).contains("copied " + backupId).contains("verified on arrival");
        JsonNode there = json(lifeboat(copyEnv, "backup", "get", backupId, "--store", "offsite", "--json"));
        JsonNode here = json(lifeboat(copyEnv, "backup", "get", backupId, "--store", "local", "--json"));
        assertThat(there.get("manifest")).isEqualTo(here.get("manifest"));
        assertThat(lifeboat(copyEnv, "backup", "copy", backupId, "--to", "offsite")
                        .out())
                .contains("already in");
        CliRun.Result same = lifeboat(copyEnv, "backup", "copy", backupId, "--store", "local", "--to", "local");
        assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aCorruptedBackupFailsVerifyWithExitSixAndIsNotRestored() throws IOException {
        String id = json(lifeboat("backup", "create", "--json"))
                .get("manifest")
                .get("id")
                .asString();
        Path dump = dir.resolve("store").resolve("app").resolve(id).resolve("dump");
        byte[] bytes = Files.readAllBytes(dump);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(dump, bytes);

        CliRun.Result verify = lifeboat("verify", id, "--json");
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        JsonNode report = json(verify);
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(verify.out()).contains("sha256");

        CliRun.Result text = lifeboat("verify", id);
        assertThat(text.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        assertThat(text.out()).startsWith("FAILED").contains("FAILED");

        String target = uniqueName("cli_corrupt");
        CliRun.Result restore = lifeboat("restore", id, "--target-database", target);
        assertThat(restore.exitCode()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        assertThat(restore.err()).contains("error: INTEGRITY_FAILED: ");
        assertThat(cluster.databaseExists(target)).isFalse();
    }

    @Test
    void unknownBackupsAndInvalidIdsHaveTheirOwnExitCodes() {
        CliRun.Result missing = lifeboat("backup", "get", "app-20200101T000000Z-0000");
        assertThat(missing.exitCode()).as(missing.all()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("error: NOT_FOUND: ", "hint: ");

        CliRun.Result invalid = lifeboat("verify", "../../etc/passwd");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("invalid backup id");
    }

    @Test
    void anUnreachableOrRefusingServerIsExitNine() throws IOException {
        Map<String, String> wrongPassword = new HashMap<>(env);
        wrongPassword.put("LB_IT_PASSWORD", "Wrong-" + cluster.password());
        CliRun.Result refused = lifeboat(wrongPassword, "backup", "create");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(refused.all()).doesNotContain("Wrong-");

        Map<String, String> nowhere = new HashMap<>(env);
        nowhere.put("LIFEBOAT_CONFIG", writeConfig("nowhere.yaml", 1).toString());
        CliRun.Result unreachable = lifeboat(nowhere, "backup", "create", "--json");
        assertThat(unreachable.exitCode()).as(unreachable.all()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(json(unreachable).get("error").get("code").asString()).isEqualTo("DATABASE_UNREACHABLE");
        // the manifests are still readable while the database is down
        assertThat(lifeboat(nowhere, "backup", "list").out()).contains(backupId);
    }

    @Test
    void configCheckPrintsTheInventoryWithoutSecrets() {
        CliRun.Result r = lifeboat("config", "check");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("configuration OK", "app", "LB_IT_PASSWORD", "local", "file:");

        CliRun.Result json = lifeboat("config", "check", "--json");
        JsonNode inventory = json(json).get("inventory");
        assertThat(inventory.get("databases").get(0).get("name").asString()).isEqualTo("app");
        assertThat(inventory.get("databases").get(0).get("port").asInt()).isEqualTo(cluster.port());
    }

    // ---- helpers ----

    /** A new database restored from the backup and then changed, so a restore over it is visible. */
    private String changedCopy(String prefix) {
        String name = uniqueName(prefix);
        CliRun.Result r = lifeboat("restore", backupId, "--target-database", name);
        assertThat(r.exitCode()).as(r.all()).isZero();
        cluster.execute(
                name,
                "CREATE TABLE public.marker (note text)",
                "INSERT INTO public.marker VALUES ('written after the backup')",
                "DELETE FROM public.numbers WHERE id <= 10");
        return name;
    }

    private String uniqueName(String prefix) {
        return prefix + "_" + Long.toHexString(System.nanoTime());
    }

    private Path writeConfig(String name, int port) throws IOException {
        return writeConfig(name, port, "");
    }

    private Path writeConfig(String name, int port, String extra) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                """
                databases:
                  app:
                    host: 127.0.0.1
                    port: %d
                    dbname: %s
                    user: %s
                    sslmode: disable
                    password_env: LB_IT_PASSWORD
                stores:
                  local:
                    uri: %s
                state_dir: %s
                """.formatted(
                                        port,
                                        source,
                                        PgCluster.SUPERUSER,
                                        dir.resolve("store").toUri(),
                                        dir.resolve("state"))
                        + extra);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private CliRun.Result lifeboat(String... args) {
        return lifeboat(env, args);
    }

    private CliRun.Result lifeboat(Map<String, String> environment, String... args) {
        return record(CliRun.run(environment, args));
    }

    private CliRun.Result lifeboat(Terminal terminal, String... args) {
        return record(CliRun.run(new CliEnvironment(env, terminal, new CancelSignal(), "tester"), args));
    }

    private CliRun.Result record(CliRun.Result r) {
        runs.add(r);
        return r;
    }

    private static JsonNode json(CliRun.Result r) {
        return dev.lifeboat.core.base.Json.mapper().readTree(r.out());
    }

    /** A person at a terminal who answers every question with {@code answer}. */
    private static Terminal typing(String answer) {
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public boolean stderrIsTerminal() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                return answer;
            }
        };
    }
}

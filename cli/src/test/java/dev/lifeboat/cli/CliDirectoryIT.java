package dev.lifeboat.cli;

import static dev.lifeboat.cli.CliSession.json;
import static dev.lifeboat.cli.CliSession.typing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.SampleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Directory backups and sets through the real commands, in-process, with a real PostgreSQL as the
 * set's database member: every output of every run is checked for the database password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDirectoryIT {
    @TempDir
    static Path dir;

    private PgCluster cluster;
    private Path uploads;
    private CliSession cli;

    @BeforeAll
    void setUp() throws IOException {
        cluster = PgCluster.shared();
        String source = SampleData.database(cluster, "cli_dir", 50);
        uploads = SampleTree.create(dir.resolve("uploads"), 100_000);
        LiveService live = LiveService.over(cluster, dir)
                .database("api", source)
                .directory("uploads", uploads)
                .directory("missing", dir.resolve("not-there"))
                .config(c -> c.set("cvescan", "api", "uploads").set("partial", "missing", "api"))
                .store("local");
        cli = new CliSession(live, live.write());
    }

    @AfterAll
    void noRunEverPrintedThePassword() {
        cli.assertNoRunPrinted(cluster.password());
    }

    @Test
    void configCheckShowsDirectoriesAndSets() {
        CliRun.Result r = cli.run("config", "check");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("directories", "uploads", uploads.toString(), "sets", "cvescan", "api, uploads");
    }

    @Test
    void aDirectoryIsBackedUpListedShownVerifiedAndRestoredWithATokenOverANonEmptyTarget() throws IOException {
        CliRun.Result created = cli.run("backup", "create", "--directory", "uploads", "--json");
        assertThat(created.exitCode()).as(created.all()).isZero();
        JsonNode manifest = json(created).get("manifest");
        String id = manifest.get("id").asString();
        assertThat(manifest.get("kind").asString()).isEqualTo("directory");
        assertThat(manifest.get("directory").get("files").asLong()).isEqualTo(5);

        CliRun.Result list = cli.run("backup", "list", "--database", "uploads");
        assertThat(list.out()).contains(id, "directory");
        CliRun.Result get = cli.run("backup", "get", id);
        assertThat(get.exitCode()).as(get.all()).isZero();
        assertThat(get.out()).contains("directory", uploads.toString(), "5 files");
        CliRun.Result drill = cli.run("verify", id, "--level", "restore");
        assertThat(drill.exitCode()).as(drill.all()).isZero();
        assertThat(drill.out()).contains("PASSED", "archive-tar", "restore drill PASS", "scratch directory");

        Path fresh = dir.resolve("fresh");
        CliRun.Result restored = cli.run("restore", id, "--target-dir", fresh.toString());
        assertThat(restored.exitCode()).as(restored.all()).isZero();
        assertThat(SampleTree.describe(fresh)).isEqualTo(SampleTree.describe(uploads));

        Path live = Files.createDirectories(dir.resolve("live"));
        Files.writeString(live.resolve("newer.txt"), "newer");
        CliRun.Result refused = cli.run("restore", id, "--target-dir", live.toString(), "--json");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        JsonNode plan = json(refused);
        assertThat(plan.get("status").asString()).isEqualTo("confirmation_required");
        String next = plan.get("next_command").asString();
        assertThat(next).contains("--target-dir " + live, "--confirm ");
        assertThat(live.resolve("newer.txt")).exists();

        CliRun.Result wrong = cli.run(typing("/somewhere/else"), "restore", id, "--target-dir", live.toString());
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(live.resolve("newer.txt")).exists();

        String token = plan.get("plan").get("confirmation").get("token").asString();
        CliRun.Result done = cli.run("restore", id, "--target-dir", live.toString(), "--confirm", token);
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(done.out()).contains("contents replaced");
        assertThat(SampleTree.describe(live)).isEqualTo(SampleTree.describe(uploads));
    }

    @Test
    void aSetIsBackedUpTogetherListedAsOneRunAndAFailedMemberMakesTheCommandFail() {
        CliRun.Result created = cli.run("backup", "create", "--set", "cvescan", "--label", "release");
        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(created.out()).contains("2 of 2 members", "api", "uploads");

        CliRun.Result list = cli.run("backup", "list", "--set", "cvescan", "--json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        JsonNode run = json(list).get("sets").get(0);
        assertThat(run.get("backups").size()).isEqualTo(2);
        assertThat(run.get("backups").get(0).get("manifest").get("database").asString())
                .isEqualTo("api");
        assertThat(run.get("missing").size()).isZero();
        CliRun.Result human = cli.run("backup", "list", "--set", "cvescan");
        assertThat(human.out()).contains("set cvescan, run cvescan-", "complete", "database", "directory");

        CliRun.Result partial = cli.run("backup", "create", "--set", "partial", "--json");
        assertThat(partial.exitCode()).as(partial.all()).isEqualTo(ExitCodes.USAGE);
        JsonNode members = json(partial).get("members");
        assertThat(members.get(0).get("error").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(members.get(0).get("message").asString()).contains("directories.missing.path");
        assertThat(members.get(1).get("backup").get("manifest").get("database").asString())
                .isEqualTo("api");
        CliRun.Result partialList = cli.run("backup", "list", "--set", "partial");
        assertThat(partialList.out()).contains("INCOMPLETE: no backup of missing");
    }
}

package dev.lifeboat.cli;

import static dev.lifeboat.cli.CliSession.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.LoopbackHttp;
import dev.lifeboat.core.testing.OverSharedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat status} against a real PostgreSQL: never backed up, OK, a broken password that
 * makes it FAILING with the error code and the fix (and reaches a webhook on loopback and the metrics
 * file), the recovery, and a fresh install that answers from the store alone while the database cannot
 * be reached.
 */
class CliStatusIT extends OverSharedCluster {
    /** What {@code webhook} received at /hook so far, each as "event body". */
    private static List<String> hook(LoopbackHttp webhook) {
        return webhook.at("/hook").stream()
                .map(r -> r.header("X-Lifeboat-Event") + " " + r.body())
                .toList();
    }

    @Test
    void aBrokenPasswordMakesStatusFailingWithTheCodeAndAFixedOneMakesItOk() throws Exception {
        LoopbackHttp webhook = LoopbackHttp.start();
        live = sampleApp("status_src", 50, db -> db.set("rpo", "26h"))
                .store("local")
                .config(c -> c.raw("notify: {ops: {webhook: '" + webhook.url("/hook") + "'}}"));
        CliSession cli = new CliSession(live, live.write());

        CliRun.Result never = cli.run("status");
        assertThat(never.exitCode()).as(never.all()).isEqualTo(ExitCodes.OBJECTIVE_MISSED);
        assertThat(never.out()).contains("NEVER", "lifeboat backup create --database app");

        assertThat(cli.run("backup", "create").exitCode()).isZero();
        CliRun.Result ok = cli.run("status", "--json");
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        JsonNode okApp = json(ok).get("sources").get(0);
        assertThat(okApp.get("state").asString()).isEqualTo("OK");
        assertThat(okApp.get("objectives").get("rpo").asString()).isEqualTo("26h");
        assertThat(okApp.get("copies").get(0).asString()).isEqualTo("local");

        Path metrics = dir.resolve("lifeboat.prom");
        CliRun.Result broken = cli.run(
                cli.envWith(LiveService.PASSWORD_ENV, "Wrong-" + pg.password()),
                "backup",
                "create",
                "--metrics-file",
                metrics.toString());
        assertThat(broken.exitCode()).as(broken.all()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(hook(webhook))
                .singleElement()
                .satisfies(h -> assertThat(h)
                        .startsWith("failure {")
                        .contains("\"code\":\"DATABASE_UNREACHABLE\"", "\"source\":\"app\"")
                        .doesNotContain(pg.password()));
        // the failed run still leaves the metrics, and they show the failure
        assertThat(Files.readString(metrics))
                .contains("lifeboat_source_state{kind=\"database\",source=\"app\",lifeboat_source_state=\"FAILING\"} 1")
                .contains("lifeboat_backup_last_failure_timestamp_seconds{kind=\"database\",source=\"app\"} ")
                .contains("lifeboat_store_backups{store=\"local\"} 1")
                .contains("lifeboat_healthy 0");

        CliRun.Result failing = cli.run("status", "--json");
        assertThat(failing.exitCode()).as(failing.all()).isEqualTo(ExitCodes.OBJECTIVE_MISSED);
        JsonNode doc = json(failing);
        assertThat(doc.get("healthy").asBoolean()).isFalse();
        JsonNode app = doc.get("sources").get(0);
        assertThat(app.get("state").asString()).isEqualTo("FAILING");
        assertThat(app.get("last_failure").get("error_code").asString()).isEqualTo("DATABASE_UNREACHABLE");
        JsonNode problem = app.get("problems").get(0);
        assertThat(problem.get("check").asString()).isEqualTo("failure");
        assertThat(problem.get("next").get("action").asString()).isEqualTo("FIX_AND_CREATE_BACKUP");
        assertThat(problem.get("next").get("why").asString()).contains("password_env");
        CliRun.Result text = cli.run("status");
        assertThat(text.out())
                .contains("FAILING", "DATABASE_UNREACHABLE", "next: check that the server is running")
                .contains("lifeboat backup create --database app");

        assertThat(cli.run("backup", "create").exitCode()).isZero();
        assertThat(hook(webhook)).hasSize(2);
        assertThat(hook(webhook).get(1)).startsWith("recovery {").contains("\"backup_id\":\"app-");
        webhook.close();
        CliRun.Result recovered = cli.run("status", "--metrics-file", metrics.toString());
        assertThat(recovered.exitCode()).as(recovered.all()).isZero();
        assertThat(recovered.out()).contains("OK", "All OK.");
        assertThat(Files.readString(metrics))
                .contains("lifeboat_source_state{kind=\"database\",source=\"app\",lifeboat_source_state=\"OK\"} 1")
                .contains("lifeboat_store_backups{store=\"local\"} 2")
                .contains("lifeboat_healthy 1");

        CliRun.Result unwritable = cli.run(
                "status", "--metrics-file", dir.resolve("no/such/dir.prom").toString());
        assertThat(unwritable.exitCode())
                .as("a metrics file that cannot be written is only a warning")
                .isZero();
        assertThat(unwritable.err()).contains("warning: metrics file not written");

        // a fresh install (no state directory yet) with the database unreachable still answers from the store
        Path fresh = live.write(
                "fresh.yaml",
                c -> c.stateDir(dir.resolve("fresh-state"))
                        .database("app", db -> db.host("127.0.0.1").port(1)));
        CliRun.Result fromStore = cli.run(cli.on(fresh), "status", "--json");
        assertThat(fromStore.exitCode()).as(fromStore.all()).isZero();
        JsonNode freshApp = json(fromStore).get("sources").get(0);
        assertThat(freshApp.get("state").asString()).isEqualTo("OK");
        assertThat(freshApp.has("last_failure")).isFalse();

        cli.assertNoRunPrinted(pg.password());
    }
}

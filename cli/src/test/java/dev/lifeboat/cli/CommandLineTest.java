package dev.lifeboat.cli;

import static dev.lifeboat.cli.CliRun.plus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Parsing, usage errors and error reporting, through the real command tree (no database needed). */
class CommandLineTest {
    @TempDir
    Path home;

    private CliRun.Result run(String... args) {
        return CliRun.run(Map.of("HOME", home.toString(), "PGHOST", "127.0.0.1", "PGPORT", "1"), args);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRun.Result r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("backup", "verify", "restore", "approve", "config", "Exit codes:", "130");
    }

    @Test
    void aRunBuildsOnlyTheCommandTreeItsArgumentsName() {
        CliEnvironment env =
                new CliEnvironment(Map.of(), Terminal.NONE, new dev.lifeboat.core.base.CancelSignal(), "t");
        assertThat(LifeboatCommand.commandLine(env, new String[] {"backup", "list"})
                        .getSubcommands()
                        .keySet())
                .containsExactly("backup");
        assertThat(LifeboatCommand.commandLine(env, new String[] {"--version"}).getSubcommands())
                .isEmpty();
        assertThat(LifeboatCommand.commandLine(env, new String[] {"backup", "list", "--json"})
                        .getSubcommands()
                        .get("backup")
                        .getSubcommands()
                        .keySet())
                .containsExactly("list");
        assertThat(LifeboatCommand.commandLine(env, new String[] {"mcp", "serve"})
                        .getSubcommands()
                        .get("mcp")
                        .getSubcommands()
                        .keySet())
                .containsExactly("serve");
        for (String[] args : new String[][] {{"backup"}, {"backup", "--help"}, {"backup", "lst"}, {"help", "backup"}}) {
            assertThat(LifeboatCommand.commandLine(env, args)
                            .getSubcommands()
                            .get("backup")
                            .getSubcommands()
                            .keySet())
                    .as(String.join(" ", args))
                    .containsExactly("create", "list", "get", "copy", "delete");
        }
        var all = java.util.List.of(
                "backup",
                "verify",
                "restore",
                "approve",
                "prune",
                "gc",
                "drill",
                "status",
                "schedule",
                "audit",
                "config",
                "mcp",
                "completion",
                "help");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "backup"}, {"bakup"}, {"--version", "x"}}) {
            assertThat(LifeboatCommand.commandLine(env, args).getSubcommands().keySet())
                    .as(String.join(" ", args))
                    .containsExactlyElementsOf(all);
        }
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRun.Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("lifeboat ").doesNotContain("${").doesNotContain("unknown");
    }

    @Test
    void noCommandIsAUsageErrorNamingEveryCommand() {
        CliRun.Result r = run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("missing command: one of backup, ", "gc", "audit", "schedule", "mcp");
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        CliRun.Result r = run("backup", "lst");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: INVALID_ARGUMENT: ", "hint: see 'lifeboat backup --help'", "list");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingCommandIsAUsageError() {
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run("backup").exitCode()).isEqualTo(2);
        assertThat(run("config").err()).contains("missing subcommand: one of check");
    }

    @Test
    void planAndConfirmTogetherAreRefused() {
        CliRun.Result r = run("restore", "app-20261122T071200Z-3f9a", "--plan", "--confirm", "tok");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void noOwnerAndCreateRolesTogetherAreAUsageErrorNamingBoth() {
        CliRun.Result r = run("restore", "app-20261122T071200Z-3f9a", "--no-owner", "--create-roles");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("--no-owner", "--create-roles", "choose one");
    }

    @Test
    void negativeLimitIsAUsageError() {
        CliRun.Result r = run("backup", "list", "--limit", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--limit");
    }

    @Test
    void unknownVerifyLevelIsAUsageError() {
        CliRun.Result r = run("verify", "app-20261122T071200Z-3f9a", "--level", "deep");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("deep", "checksum, archive");
    }

    @Test
    void badSinceIsAUsageErrorNamingTheOption() {
        CliRun.Result r = run("backup", "list", "--since", "yesterday");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--since", "yesterday", "7d");
    }

    @Test
    void usageErrorsWithJsonAreAJsonDocumentOnStdout() {
        CliRun.Result r = run("backup", "list", "--json", "--limit", "many");
        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode error = dev.lifeboat.core.base.Json.mapper().readTree(r.out()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asString()).contains("--limit");
        assertThat(error.get("hint").asString()).contains("lifeboat backup list --help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void missingConfigFileIsAConfigErrorWithHint() {
        CliRun.Result r =
                run("backup", "list", "--config", home.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG_INVALID);
        assertThat(r.err()).contains("error: CONFIG_INVALID: ", "nope.yaml", "hint: ");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void configCheckNamesEveryBadSettingAsJson() {
        Path config = ConfigBuilder.in(home)
                .database(
                        "app",
                        db -> db.host("db.example")
                                .set("port", "seventy")
                                .dbname("app")
                                .user("app")
                                .set("colour", "blue"))
                .store("local", "file:///tmp/lifeboat-test")
                .write();
        CliRun.Result r = run("config", "check", "--json", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        JsonNode error = dev.lifeboat.core.base.Json.mapper().readTree(r.out()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("CONFIG_INVALID");
        assertThat(error.get("message").asString()).contains("databases.app.port", "databases.app.colour");
    }

    @Test
    void configCheckAndEveryCommandRefuseAMisspeltStoreSettingBeforeRunning() {
        Path config = ConfigBuilder.in(home)
                .database("app", db -> db.user("app"))
                .store("offsite", "s3://bucket/prefix?region=eu-west-1", s -> s.set("part_sise", "32MiB"))
                .write();
        for (String[] args : new String[][] {{"config", "check"}, {"backup", "list"}}) {
            CliRun.Result r = run(plus(args, "--config", config.toString()));
            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.CONFIG_INVALID);
            assertThat(r.err())
                    .contains(
                            "error: CONFIG_INVALID: config file " + config + " has 1 problem:",
                            "stores.offsite.part_sise: unknown setting for an s3 store",
                            "hint: fix the settings named above");
        }
    }

    @Test
    void configCheckShowsEachSourcesCompressionAndRestoreJobsAndWhereTheyComeFrom() {
        Path config = ConfigBuilder.in(home)
                .database(
                        "app",
                        db -> db.host("db.example")
                                .user("app")
                                .compression("zstd")
                                .compressionLevel(9)
                                .restoreJobs(3))
                .database("other", db -> db.host("db.example").user("app"))
                .database("cold", db -> db.host("db.example").user("app").store("offsite"))
                .directory("uploads", Path.of("/srv/uploads"), d -> d.excludes("cache/**", "*.tmp"))
                .directory("logs", Path.of("/srv/logs"), d -> d.store("offsite"))
                .store("local", "file:///tmp/lifeboat-test")
                .store(
                        "offsite",
                        "file:///tmp/lifeboat-offsite",
                        s -> s.compression("gzip").compressionLevel(4))
                .defaultStore("local")
                .defaultRestoreJobs(2)
                .write();
        assertThat(configCheck(config))
                .contains(
                        "COMPRESSION",
                        "RESTORE JOBS",
                        "zstd level 9 (database)",
                        "3 (database)",
                        "gzip (default)",
                        "2 (defaults.restore_jobs)",
                        "gzip level 4 (store 'offsite')",
                        "zstd (default)",
                        "cache/** *.tmp");
        JsonNode inv = inventory(config);
        JsonNode app = inv.get("databases").get(0);
        assertThat(app.get("compression").asString()).isEqualTo("zstd");
        assertThat(app.get("compression_level").asInt()).isEqualTo(9);
        assertThat(app.get("restore_jobs").asInt()).isEqualTo(3);
        JsonNode cold = inv.get("databases").get(2);
        assertThat(cold.get("compression").asString()).isEqualTo("gzip");
        assertThat(cold.get("compression_source").asString()).isEqualTo("store 'offsite'");
        assertThat(inv.get("databases").get(1).get("restore_jobs_source").asString())
                .isEqualTo("defaults.restore_jobs");
        JsonNode uploads = inv.get("directories").get(0);
        assertThat(uploads.get("compression").asString()).isEqualTo("zstd");
        assertThat(uploads.get("compression_source").asString()).isEqualTo("default");
        assertThat(uploads.get("excludes").get(1).asString()).isEqualTo("*.tmp");
        assertThat(inv.get("directories").get(1).get("compression").asString()).isEqualTo("gzip");
        assertThat(inv.get("stores").get(0).has("compression")).isFalse();
        assertThat(inv.get("stores").get(1).get("compression_level").asInt()).isEqualTo(4);
    }

    @Test
    void configCheckShowsObjectivesAndNotificationTargetsWithoutTheirTokens() {
        Path config = ConfigBuilder.in(home)
                .database(
                        "app",
                        db -> db.host("db.example")
                                .user("app")
                                .set("rpo", "26h")
                                .set("copies", 2))
                .directory("uploads", Path.of("/srv/uploads"))
                .set("shop", "app", "uploads")
                .store("local", "file:///tmp/lifeboat-test")
                .raw("sets: {shop: {drill_every: 7d}}\n"
                        + "notify: {ops: {webhook: 'https://hooks.example.com/services/T0KEN-abc-123',"
                        + " secret_env: HOOK_KEY}, hc: {ping: 'https://hc.example/ping/uuid-42'}}")
                .write();
        assertThat(configCheck(config))
                .contains("objectives (lifeboat status)", "26h", "7d", "notify", "HOOK_KEY", "every run")
                .contains("https://hooks.example.com****")
                .doesNotContain("T0KEN-abc-123")
                .doesNotContain("uuid-42");
        JsonNode inv = inventory(config);
        assertThat(inv.get("objectives").get(0).get("rpo").asString()).isEqualTo("26h");
        assertThat(inv.get("objectives").get(0).get("copies").asInt()).isEqualTo(2);
        assertThat(inv.get("objectives").get(1).get("kind").asString()).isEqualTo("set");
        assertThat(inv.get("notify_targets").get(0).get("events").toString()).contains("failure", "recovery");
    }

    /** What {@code config check} prints for {@code config}, once it has passed. */
    private String configCheck(Path config) {
        CliRun.Result r = run("config", "check", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r.out();
    }

    /** The inventory {@code config check --json} prints for {@code config}, once it has passed. */
    private JsonNode inventory(Path config) {
        CliRun.Result r = run("config", "check", "--json", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        return dev.lifeboat.core.base.Json.mapper().readTree(r.out()).get("inventory");
    }

    @Test
    void errorsAreRedacted() throws IOException {
        String canary = "Canary-" + System.nanoTime();
        Redactor.global().register(canary);
        CliRun.Result r =
                run("backup", "list", "--config", home.resolve(canary + ".yaml").toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.all()).doesNotContain(canary).contains(Redactor.MASK);
    }
}

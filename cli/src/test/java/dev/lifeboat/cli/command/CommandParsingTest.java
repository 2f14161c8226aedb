package dev.lifeboat.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.CliEnvironment;
import dev.lifeboat.cli.LifeboatCommand;
import dev.lifeboat.cli.Terminal;
import dev.lifeboat.core.base.CancelSignal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Arguments land in the fields the commands pass to the service. */
class CommandParsingTest {

    private static Object parse(String... args) {
        CommandLine cmd =
                LifeboatCommand.commandLine(new CliEnvironment(Map.of(), Terminal.NONE, new CancelSignal(), "tester"));
        ParseResult r = cmd.parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().userObject();
    }

    @Test
    void createTakesDatabaseStoreLabelAndRepeatedTags() {
        var c = (BackupCreateCommand) parse(
                "backup",
                "create",
                "--database",
                "app",
                "--store",
                "s3",
                "--label",
                "before v2",
                "--tag",
                "a=1",
                "--tag",
                "b=x=y",
                "--config",
                "/etc/lb.yaml",
                "--json");
        assertThat(c.source.database).isEqualTo("app");
        assertThat(c.store.name()).isEqualTo("s3");
        assertThat(c.label).isEqualTo("before v2");
        assertThat(c.tags).containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"));
        assertThat(c.shared.config()).isEqualTo(Path.of("/etc/lb.yaml"));
        assertThat(c.shared.json()).isTrue();
    }

    @Test
    void listTakesFiltersAndDefaultsToEverything() {
        var all = (BackupListCommand) parse("backup", "list");
        assertThat(all.database).isNull();
        assertThat(all.since).isNull();
        assertThat(all.limit).isZero();

        var some = (BackupListCommand)
                parse("backup", "list", "--database", "app", "--since", "2026-11-20", "--limit", "3");
        assertThat(some.database).isEqualTo("app");
        assertThat(some.since).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(some.limit).isEqualTo(3);
    }

    @Test
    void restoreDefaultsToANewDatabaseWithoutConfirmation() {
        var r = (RestoreCommand) parse("restore", "app-20261122T071200Z-3f9a");
        assertThat(r.backupId).isEqualTo("app-20261122T071200Z-3f9a");
        assertThat(r.clean).isFalse();
        assertThat(r.target).isNull();
        assertThat(r.targetDbname).isNull();
        assertThat(r.planOnly()).isFalse();
        assertThat(r.token()).isNull();
    }

    @Test
    void restoreTakesTargetModeAndToken() {
        var r = (RestoreCommand) parse(
                "restore",
                "app-20261122T071200Z-3f9a",
                "--target",
                "staging",
                "--target-database",
                "app_copy",
                "--clean",
                "--confirm",
                "lbc1.abc");
        assertThat(r.target).isEqualTo("staging");
        assertThat(r.targetDbname).isEqualTo("app_copy");
        assertThat(r.clean).isTrue();
        assertThat(r.token()).isEqualTo("lbc1.abc");

        var plan = (RestoreCommand) parse("restore", "app-20261122T071200Z-3f9a", "--clean", "--plan");
        assertThat(plan.planOnly()).isTrue();
    }

    @Test
    void verifyDefaultsToTheChecksumLevel() {
        assertThat(((VerifyCommand) parse("verify", "x")).level).isEqualTo("checksum");
        assertThat(((VerifyCommand) parse("verify", "x", "--level", "archive")).level)
                .isEqualTo("archive");
    }

    @Test
    void deleteAndApproveTakeTheirIds() {
        var d = (BackupDeleteCommand) parse("backup", "delete", "app-1", "--store", "local", "--plan");
        assertThat(d.backupId).isEqualTo("app-1");
        assertThat(d.store.name()).isEqualTo("local");
        assertThat(d.planOnly()).isTrue();
        assertThat(((ApproveCommand) parse("approve", "801c56e54bb40287fbac")).planId)
                .isEqualTo("801c56e54bb40287fbac");
    }
}

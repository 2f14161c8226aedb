package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat approve} in approval mode 'operator': the plan shown in full, a person at a terminal
 * typing what it acts on, and every way of approving without one refused with nothing approved.
 */
class ApproveCommandTest {
    @TempDir
    Path dir;

    Map<String, String> env;
    String backupId;
    String planId;
    String token;

    @BeforeEach
    void aDeletePlanWaitingForAnOperator() throws Exception {
        LiveService live = LiveService.in(dir)
                .config(c ->
                        c.database("app", db -> db.host("127.0.0.1").port(1).user("app")))
                .store("local")
                .config(c -> c.approval("operator"));
        Files.createDirectories(live.storeDir("local"));
        Path config = live.write();
        try (BackupStore store =
                BackupStores.open(new ConfigLoader(live.env()).load(config).store("local"), live.env())) {
            backupId = SampleManifest.of("app", Instant.parse("2026-03-01T00:00:00Z"))
                    .label("before migration 42")
                    .commit(new Catalog(store), "PGDMP-approve".getBytes(StandardCharsets.UTF_8))
                    .id();
        }
        env = new HashMap<>(live.env());
        env.put("LIFEBOAT_CONFIG", config.toString());
        CliRun.Result plan = CliRun.run(env, "backup", "delete", backupId, "--plan", "--json");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode c = Json.mapper().readTree(plan.out()).get("plan").get("confirmation");
        planId = c.get("plan_id").asString();
        token = c.get("token").asString();
    }

    CliRun.Result approveAt(Terminal terminal, String id) {
        return CliRun.run(new CliEnvironment(env, terminal, new CancelSignal(), "alice"), "approve", id);
    }

    /** Whether the plan's token works now (it is spent if it does: ask last). */
    boolean tokenWorks() {
        CliRun.Result r = CliRun.run(env, "backup", "delete", backupId, "--confirm", token, "--allow-last");
        return r.exitCode() == 0;
    }

    @Test
    void aPersonAtATerminalSeesThePlanInFullAndApprovesByTypingTheBackupId() {
        List<String> prompts = new ArrayList<>();
        CliRun.Result r = approveAt(CliSession.typing(backupId, prompts), planId);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.err())
                .contains("Plan " + planId)
                .contains("Delete backup " + backupId)
                .contains("(label \"before migration 42\")")
                .contains("CAUTION: it is the last backup of app")
                .contains("target:    store:local");
        assertThat(prompts).singleElement().asString().contains("the id of the backup to delete");
        assertThat(r.out()).contains("approved plan " + planId, "alice");
        assertThat(tokenWorks()).isTrue();
    }

    @Test
    void withoutATerminalNothingIsShownOrApproved() {
        CliRun.Result r = approveAt(Terminal.NONE, planId);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(r.err())
                .contains("needs a person at an interactive terminal")
                .doesNotContain(backupId);
        assertThat(tokenWorks()).isFalse();
    }

    @Test
    void aWrongTypedConfirmationApprovesNothing() {
        CliRun.Result r = approveAt(CliSession.typing("yes"), planId);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(r.err()).contains("did not match").contains("nothing was approved");
        assertThat(tokenWorks()).isFalse();
    }

    @Test
    void anEndOfInputAtThePromptApprovesNothing() {
        CliRun.Result r = approveAt(CliSession.typing(null), planId);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(tokenWorks()).isFalse();
    }

    @Test
    void anUnknownPlanIsRefusedBeforeAnyQuestion() {
        List<String> prompts = new ArrayList<>();
        CliRun.Result r = approveAt(CliSession.typing(backupId, prompts), "0123456789abcdef0123");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(dev.lifeboat.core.base.ErrorCode.NOT_FOUND));
        assertThat(prompts).isEmpty();
    }

    @Test
    void anExecutedPlanCannotBeApprovedAgain() {
        assertThat(approveAt(CliSession.typing(backupId), planId).exitCode()).isZero();
        assertThat(tokenWorks()).isTrue();
        List<String> prompts = new ArrayList<>();
        CliRun.Result again = approveAt(CliSession.typing(backupId, prompts), planId);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("already executed");
        assertThat(prompts).isEmpty();
    }

    /**
     * The real terminal check, in a process of its own: stdin from a pipe, as an agent's shell tool
     * runs a command, is refused.
     */
    @Test
    void theRealCommandRefusesWhenStdinIsAPipe() throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "approve",
                planId);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        // what an agent would do: answer the question through the pipe
        p.getOutputStream().write((backupId + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(output).contains("needs a person at an interactive terminal");
        assertThat(tokenWorks()).isFalse();
    }
}

package dev.lifeboat.core.manage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Leftovers} on this host: what killed directory restores and drills leave, and gc's token. */
class LeftoversTest {
    @TempDir
    Path dir;

    @AutoClose
    private ServiceOverFakes f;

    private long deadPid;

    @BeforeEach
    void setUp() throws Exception {
        f = ServiceOverFakes.in(dir).database("app", Map.of("accounts", 3)).build();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        deadPid = gone.pid();
    }

    /** The audit line of a run started by a process that is gone, as a kill -9 leaves it. */
    private void killedRun(String operation, String target) throws IOException {
        Path log = f.stateDir().resolve("audit.jsonl");
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "{\"time\":\"" + Instant.now().minusSeconds(60) + "\",\"pid\":" + deadPid
                        + ",\"transport\":\"cli\",\"subject\":\"root\",\"operation\":\"" + operation
                        + "\",\"target\":\"" + target + "\",\"outcome\":\"started\"}\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Path dirWithFile(Path d) throws IOException {
        Files.createDirectories(d);
        Files.writeString(d.resolve("file.txt"), "data");
        return d;
    }

    @Test
    void aKilledDirectoryRestoresStagingAndAKilledDrillsScratchAreRemovedWithTheToken() throws Exception {
        Path target = dirWithFile(dir.resolve("srv/uploads"));
        Path staging = dirWithFile(dir.resolve("srv/.uploads.lifeboat-restore-123"));
        Path aside = dirWithFile(dir.resolve("srv/.uploads.lifeboat-old-abc"));
        Path unrelated = dirWithFile(dir.resolve("srv/.other.lifeboat-restore-123"));
        killedRun("restore:replace", "dir:" + target);
        Path scratch =
                dirWithFile(f.stateDir().resolve("drills/lifeboat-drill-" + deadPid + "-app-20260302T020000Z-abcd-42"));

        LeftoverPlan found = f.service().findLeftovers(null);
        assertThat(found.items())
                .extracting(LeftoverPlan.Item::kind, LeftoverPlan.Item::name)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(LeftoverPlan.RESTORE_STAGING, staging.toString()),
                        org.assertj.core.groups.Tuple.tuple(LeftoverPlan.RESTORE_STAGING, aside.toString()),
                        org.assertj.core.groups.Tuple.tuple(LeftoverPlan.DRILL_SCRATCH, scratch.toString()));
        assertThat(found.unfinishedRuns())
                .singleElement()
                .satisfies(r -> assertThat(r.pid()).isEqualTo(deadPid));

        Outcome<LeftoverPlan, LeftoverPlan> dry = f.service().requestGc(null, null, ServiceOverFakes.CALLER);
        assertThat(dry.confirmationRequired()).isTrue();
        assertThat(staging).exists();
        f.service().requestGc(null, dry.plan().confirmation().token(), ServiceOverFakes.CALLER);

        assertThat(staging).doesNotExist();
        assertThat(aside).doesNotExist();
        assertThat(scratch).doesNotExist();
        assertThat(target.resolve("file.txt")).hasContent("data");
        assertThat(unrelated).exists();
        assertThat(f.audit())
                .anySatisfy(line ->
                        assertThat(line).containsEntry("outcome", "abandoned").containsEntry("pid", (int) deadPid));
        assertThat(f.service().findLeftovers(null).unfinishedRuns()).isEmpty();
    }

    @Test
    void whatAKilledProcessWasWritingInTheStateDirectoryIsRemovedAndALiveOnesIsLeft() throws Exception {
        Path notify = Files.createDirectories(f.stateDir().resolve("notify"));
        Path confirm = Files.createDirectories(f.stateDir().resolve("confirm"));
        // the names PrivateFiles gives its temporary files, by a process that is gone and by this one
        Path objectives =
                Files.writeString(notify.resolve(".lifeboat-" + deadPid + "-objectives.json-4711.tmp"), "{\"half\":");
        Path plan = Files.writeString(confirm.resolve(".lifeboat-" + deadPid + "-plan-x.json-42.tmp"), "{");
        Path key = Files.writeString(f.stateDir().resolve(".lifeboat-" + deadPid + "-audit.key-7.tmp"), "k");
        Path mine = Files.writeString(
                notify.resolve(".lifeboat-" + ProcessHandle.current().pid() + "-objectives.json-1.tmp"), "{");

        LeftoverPlan found = f.service().findLeftovers(null);
        assertThat(found.items())
                .filteredOn(i -> i.kind().equals(LeftoverPlan.STATE_TEMP))
                .extracting(LeftoverPlan.Item::name)
                .containsExactlyInAnyOrder(objectives.toString(), plan.toString(), key.toString());
        Outcome<LeftoverPlan, LeftoverPlan> dry = f.service().requestGc(null, null, ServiceOverFakes.CALLER);
        f.service().requestGc(null, dry.plan().confirmation().token(), ServiceOverFakes.CALLER);
        assertThat(objectives).doesNotExist();
        assertThat(plan).doesNotExist();
        assertThat(key).doesNotExist();
        assertThat(mine).as("this process may still rename it into place").exists();
    }

    @Test
    void theOldContentsSetAsideAreNotLeftoversWhileTheTargetIsMissing() throws Exception {
        Path target = dir.resolve("srv/uploads");
        Path aside = dirWithFile(dir.resolve("srv/.uploads.lifeboat-old-abc"));
        killedRun("restore:replace", "dir:" + target);

        // killed between the two renames: the set-aside copy is all that is left of the target
        assertThat(f.service().findLeftovers(null).items()).isEmpty();
        assertThat(aside).exists();
    }

    @Test
    void aTokenIsRefusedWhenTheLeftoversChangedSinceThePlan() throws Exception {
        dirWithFile(f.stateDir().resolve("drills/lifeboat-drill-" + deadPid + "-app-20260302T020000Z-abcd-1"));
        String token = f.service()
                .requestGc(null, null, ServiceOverFakes.CALLER)
                .plan()
                .confirmation()
                .token();
        Path later =
                dirWithFile(f.stateDir().resolve("drills/lifeboat-drill-" + deadPid + "-app-20260302T020000Z-abcd-2"));

        assertThatThrownBy(() -> f.service().requestGc(null, token, ServiceOverFakes.CALLER))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED))
                .hasMessageContaining("different set of leftovers");
        assertThat(later).exists();
    }

    @Test
    void nothingLeftOverNeedsNoToken() {
        Outcome<LeftoverPlan, LeftoverPlan> none = f.service().requestGc(null, null, ServiceOverFakes.CALLER);
        assertThat(none.confirmationRequired()).isFalse();
        assertThat(none.result().summary()).startsWith("Nothing left over");
    }

    @Test
    void shadowsAndDrillDatabasesOfKilledRunsAreDroppedButOnesInUseAreLeft() throws Exception {
        var spec = new dev.lifeboat.core.engine.ConnectionSpec("db.test", 5432, "app", "u", null, null, null);
        f.engine().database("app__restoring_abc123").database("lifeboat_drill_1_deadbeef");
        f.engine().database("busy__restoring_fedcba").database("lifeboat_drill_2_cafebabe");
        f.engine().database("app__prev_20261206021700"); // a kept copy: prune's business, not gc's
        try (dev.lifeboat.core.engine.Databases.Lock restoring =
                        f.engine().databases().tryLock(spec, "busy").orElseThrow();
                dev.lifeboat.core.engine.Databases.Lock drilling = f.engine()
                        .databases()
                        .tryLock(spec, "lifeboat_drill_2_cafebabe")
                        .orElseThrow()) {
            LeftoverPlan found = f.service().findLeftovers(null);
            assertThat(found.items())
                    .extracting(LeftoverPlan.Item::name, LeftoverPlan.Item::kind, LeftoverPlan.Item::where)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    "app__restoring_abc123", LeftoverPlan.RESTORE_SHADOW, "database:app"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "lifeboat_drill_1_deadbeef", LeftoverPlan.DRILL_DATABASE, "database:app"));

            String token = f.service()
                    .requestGc(null, null, ServiceOverFakes.CALLER)
                    .plan()
                    .confirmation()
                    .token();
            f.service().requestGc(null, token, ServiceOverFakes.CALLER);
        }
        assertThat(f.engine().tables("app__restoring_abc123")).isEmpty();
        assertThat(f.engine().tables("lifeboat_drill_1_deadbeef")).isEmpty();
        assertThat(f.engine().tables("busy__restoring_fedcba")).isPresent();
        assertThat(f.engine().tables("lifeboat_drill_2_cafebabe")).isPresent();
        assertThat(f.engine().tables("app__prev_20261206021700")).isPresent();
    }
}

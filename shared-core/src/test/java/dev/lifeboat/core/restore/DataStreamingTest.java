package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.RestoreOptions.Sections;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.FakeDumpEngine.RestoreCall;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores asked for two jobs of an archive that would be decoded into a spool first (here: a store
 * other than a local one), over the fakes: when one table holds most of the rows, the definitions and
 * data stream into one job and what follows the data is restored with the two jobs from a copy of the
 * archive's head; otherwise the archive is spooled and every part gets the jobs.
 */
class DataStreamingTest {
    @TempDir
    Path dir;

    private ServiceOverFakes f;
    private DatabaseRestore restore;

    /** A backup of "app" holding {@code tables}, on an engine that restores from a stream. */
    private Manifest backUp(Map<String, Integer> tables) {
        f = ServiceOverFakes.in(dir).database("app", tables).build();
        f.engine().restoringFromAStream();
        restore = new DatabaseRestore(f.context());
        return f.backup("app").manifest();
    }

    @AfterEach
    void closeFakes() {
        if (f != null) {
            f.close();
        }
    }

    private RestoreResult replace(Manifest m) {
        RestoreRequest r = new RestoreRequest(m.id(), null, null, null, RestoreMode.REPLACE, null, 2);
        String token = restore.planRestore(r).confirmation().token();
        return restore.restore(r.withToken(token), ServiceOverFakes.CALLER);
    }

    private List<String> beside() {
        return f.engine().databases().namesStartingWith(null, "app__");
    }

    @Test
    void aReplaceWhoseLargestTableHoldsMostRowsStreamsItsDataAndBuildsTheRestWithItsJobs() {
        Manifest m = backUp(Map.of("events", 90, "users", 5, "plans", 5));
        SortedMap<String, List<String>> backedUp = f.engine().tables("app").orElseThrow();
        f.engine().database("app", Map.of("events", 3, "later", 1));

        RestoreResult r = replace(m);

        List<RestoreCall> calls = f.engine().restores();
        assertThat(calls)
                .extracting(c -> c.options().sections(), c -> c.options().jobs())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Sections.UP_TO_DATA, 1),
                        org.assertj.core.groups.Tuple.tuple(Sections.POST_DATA, 2));
        assertThat(calls).allMatch(c -> c.target().dbname().startsWith("app__restoring_"));
        assertThat(f.engine().tables("app")).contains(backedUp);
        assertThat(r.jobs()).isEqualTo(2);
        assertThat(r.notes())
                .anyMatch(n -> n.contains("public.events holds 90% of the rows") && n.contains("built with 2 jobs"));
        assertThat(beside()).containsExactly(r.previous());
        assertThat(f.spoolFiles()).as("the head's copy is removed").isEmpty();
    }

    @Test
    void aRestoreIntoANewDatabaseSplitsTheSameWay() {
        Manifest m = backUp(Map.of("events", 80, "users", 20));
        SortedMap<String, List<String>> backedUp = f.engine().tables("app").orElseThrow();

        RestoreResult r = restore.restore(
                new RestoreRequest(m.id(), null, null, "copy", RestoreMode.CREATE, null, 2), ServiceOverFakes.CALLER);

        assertThat(f.engine().restores())
                .extracting(c -> c.options().sections())
                .containsExactly(Sections.UP_TO_DATA, Sections.POST_DATA);
        assertThat(f.engine().tables("copy")).contains(backedUp);
        assertThat(r.notes()).anyMatch(n -> n.contains("public.events holds 80% of the rows"));
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void rowsSpreadOverTablesAreSpooledAndEveryPartGetsTheJobs() {
        Manifest m = backUp(Map.of("events", 60, "users", 40));

        RestoreResult r = replace(m);

        assertThat(f.engine().restores())
                .extracting(c -> c.options().sections(), c -> c.options().jobs())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Sections.ALL, 2));
        assertThat(r.notes()).noneMatch(n -> n.contains("streamed into one pg_restore job"));
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void thePlanSaysWhenTheDataWillStreamAndNotOtherwise() {
        Manifest streams = backUp(Map.of("events", 90, "users", 5, "plans", 5));
        f.engine().database("app", Map.of("events", 3));
        RestoreRequest replace = new RestoreRequest(streams.id(), null, null, null, RestoreMode.REPLACE, null, 2);
        assertThat(restore.planRestore(replace).summary())
                .endsWith("Its data will stream from the store into one pg_restore job (public.events holds 90% of"
                        + " the rows, which more jobs could not load sooner); indexes, constraints and grants will"
                        + " then be built with 2 jobs.");
        RestoreRequest oneJob = new RestoreRequest(streams.id(), null, null, null, RestoreMode.REPLACE, null, 1);
        assertThat(restore.planRestore(oneJob).summary()).doesNotContain("will stream");
        closeFakes();

        Manifest spread = backUp(Map.of("events", 60, "users", 40));
        f.engine().database("app", Map.of("events", 3));
        assertThat(restore.planRestore(new RestoreRequest(spread.id(), null, null, null, RestoreMode.REPLACE, null, 2))
                        .summary())
                .doesNotContain("will stream");
    }

    @Test
    void damagedBytesStopTheRestoreBeforeWhatFollowsTheDataAndLeaveNothingBeside() {
        Manifest m = backUp(Map.of("events", 90, "users", 5));
        f.engine().database("app", Map.of("events", 3, "later", 1));
        SortedMap<String, List<String>> live = f.engine().tables("app").orElseThrow();
        f.store().corrupt("app/" + m.id() + "/dump", 60);

        LifeboatException e = Refusals.refused(() -> replace(m));

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertThat(e.getMessage()).contains("not touched");
        assertThat(f.engine().restores())
                .extracting(c -> c.options().sections())
                .doesNotContain(Sections.POST_DATA);
        assertThat(f.engine().tables("app")).contains(live);
        assertThat(beside()).isEmpty();
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aFailureAfterTheDataDropsTheShadowAndLeavesTheTarget() {
        Manifest m = backUp(Map.of("events", 90, "users", 5));
        f.engine().database("app", Map.of("events", 3, "later", 1));
        SortedMap<String, List<String>> live = f.engine().tables("app").orElseThrow();
        f.engine().failAt(Step.RESTORE_POST_DATA);

        LifeboatException e = Refusals.refused(() -> replace(m));

        assertThat(e.getMessage()).contains("the target 'app' was not touched", "was removed");
        assertThat(f.engine().tables("app")).contains(live);
        assertThat(beside()).isEmpty();
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void theLargestTableMustHoldThreeQuartersOfTheRowsAndEveryCountMustBeKnown() {
        assertThat(DataStreaming.dominant(List.of(table("a", 75), table("b", 25))))
                .extracting(TableSummary::name)
                .isEqualTo("a");
        assertThat(DataStreaming.dominant(List.of(table("a", 74), table("b", 26))))
                .isNull();
        assertThat(DataStreaming.dominant(List.of(table("a", 900), table("b", -1))))
                .isNull();
        assertThat(DataStreaming.dominant(List.of(table("a", 0), table("b", 0))))
                .isNull();
        assertThat(DataStreaming.dominant(List.of())).isNull();
    }

    private static TableSummary table(String name, long rows) {
        return new TableSummary("public", name, rows, true);
    }
}

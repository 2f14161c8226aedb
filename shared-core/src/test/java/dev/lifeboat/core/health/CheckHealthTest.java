package dev.lifeboat.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.health.NextStep.Action;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat status} over the fakes: each state, the facts behind it, and the next step. */
class CheckHealthTest {
    private static final Map<String, Integer> TABLES = Map.of("accounts", 3);

    @TempDir
    Path dir;

    private ServiceOverFakes fakes(String yaml) {
        return ServiceOverFakes.in(dir)
                .database("app", TABLES)
                .store("offsite")
                .raw(yaml)
                .build();
    }

    /** The one problem {@code source} has, after checking which check found it and what to do next. */
    private static Problem onlyProblem(SourceHealth source, String check, Action next) {
        assertThat(source.problems()).hasSize(1);
        Problem p = source.problems().get(0);
        assertThat(p.check()).isEqualTo(check);
        assertThat(p.next().action()).as(p.message()).isEqualTo(next);
        return p;
    }

    /** app's one problem, after checking that it makes app LATE ({@link #onlyProblem}'s checks too). */
    private static Problem onlyLateProblem(ServiceOverFakes f, String check, Action next) {
        return onlyProblem(appNow(f, HealthState.LATE), check, next);
    }

    /** Asserts that {@code p}'s next step is on backup {@code b} in {@code store}. */
    private static void assertNextStepIsOn(Problem p, BackupRecord b, String store) {
        assertThat(p.next().backupId()).isEqualTo(b.manifest().id());
        assertThat(p.next().store()).isEqualTo(store);
    }

    /** A restore drill of {@code b}, as status's next step asks for it. */
    private static void drill(ServiceOverFakes f, BackupRecord b) {
        f.service().verify(b.manifest().id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER);
    }

    /**
     * A backup of app that fails because its database cannot be reached (until {@code f.engine().heal()}):
     * app's status then, after checking it is FAILING.
     */
    private static SourceHealth failingAfterABackupFails(ServiceOverFakes f) {
        f.engine().unreachable();
        assertThatThrownBy(() -> f.backup("app")).isInstanceOf(LifeboatException.class);
        return appNow(f, HealthState.FAILING);
    }

    /** app's status now, after checking that its state is {@code expected}. */
    private static SourceHealth appNow(ServiceOverFakes f, HealthState expected) {
        SourceHealth app = app(f.service().status());
        assertThat(app.state()).isEqualTo(expected);
        return app;
    }

    private static SourceHealth app(HealthReport r) {
        return r.sources().stream()
                .filter(s -> s.name().equals("app"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSourceNeverBackedUpIsNeverAndTheNextStepIsItsFirstBackup() {
        try (ServiceOverFakes f = fakes("")) {
            HealthReport r = f.service().status();
            SourceHealth app = app(r);
            assertThat(app.state()).isEqualTo(HealthState.NEVER);
            assertThat(r.healthy()).isFalse();
            assertThat(r.unhealthy()).containsExactly("app");
            assertThat(app.newest()).isNull();
            Problem p = onlyProblem(app, "never", Action.CREATE_BACKUP);
            assertThat(p.next().source()).isEqualTo("app");
            assertThat(p.next().kind()).isEqualTo("database");
        }
    }

    @Test
    void aBackupWithinTheRpoIsOkWithItsFacts() {
        try (ServiceOverFakes f = fakes("databases: {app: {rpo: 26h}}")) {
            BackupRecord b = f.backup("app");
            f.advance(Duration.ofHours(25));
            HealthReport r = f.service().status();
            SourceHealth app = app(r);
            assertThat(app.state()).isEqualTo(HealthState.OK);
            assertThat(r.healthy()).isTrue();
            assertThat(app.objectives().rpo()).isEqualTo("26h");
            assertThat(app.newest().backupId()).isEqualTo(b.manifest().id());
            assertThat(app.newest().ageSeconds()).isEqualTo(Duration.ofHours(25).getSeconds());
            assertThat(app.newest().sizeBytes()).isEqualTo(b.manifest().sizeBytes());
            assertThat(app.copies()).containsExactly("main");
            assertThat(app.lastAttempt()).isEqualTo(b.manifest().createdAt());
            assertThat(app.problems()).isEmpty();
            assertThat(r.stores()).extracting(HealthReport.StoreHealth::backups).containsExactly(1, 0);
        }
    }

    @Test
    void aBackupOlderThanTheRpoIsLateAndTheNextStepIsABackup() {
        try (ServiceOverFakes f = fakes("databases: {app: {rpo: 26h}}")) {
            f.backup("app");
            f.advance(Duration.ofHours(30));
            Problem p = onlyLateProblem(f, "rpo", Action.CREATE_BACKUP);
            assertThat(p.message()).contains("is 1d 6h old; rpo is 26h");
        }
    }

    @Test
    void withoutObjectivesAnOldBackupIsStillOk() {
        try (ServiceOverFakes f = fakes("")) {
            f.backup("app");
            f.advance(Duration.ofDays(90));
            assertThat(app(f.service().status()).state()).isEqualTo(HealthState.OK);
        }
    }

    @Test
    void aFailureAfterTheNewestBackupIsFailingWithItsCodeUntilABackupSucceeds() {
        try (ServiceOverFakes f = fakes("databases: {app: {rpo: 26h}}")) {
            f.backup("app");
            f.advance(Duration.ofHours(1));
            SourceHealth app = failingAfterABackupFails(f);
            assertThat(app.lastFailure().errorCode()).isEqualTo("DATABASE_UNREACHABLE");
            assertThat(app.lastFailure().time()).isEqualTo(f.clock().instant());
            assertThat(app.lastAttempt()).isEqualTo(f.clock().instant());
            Problem p = onlyProblem(app, "failure", Action.FIX_AND_CREATE_BACKUP);
            assertThat(p.message()).contains("DATABASE_UNREACHABLE");
            assertThat(p.next().why()).contains("databases.app").contains("password");

            f.engine().heal();
            f.advance(Duration.ofMinutes(5));
            f.backup("app");
            SourceHealth healed = appNow(f, HealthState.OK);
            assertThat(healed.lastFailure().errorCode()).isEqualTo("DATABASE_UNREACHABLE");
        }
    }

    @Test
    void aFailureThatNeverSucceededIsFailingNotNever() {
        try (ServiceOverFakes f = fakes("")) {
            SourceHealth app = failingAfterABackupFails(f);
            assertThat(app.problems()).extracting(Problem::check).containsExactly("failure");
        }
    }

    @Test
    void aFailingAndLateSourceSaysBothWithOneFix() {
        try (ServiceOverFakes f = fakes("databases: {app: {rpo: 26h}}")) {
            f.backup("app");
            f.advance(Duration.ofHours(30));
            SourceHealth app = failingAfterABackupFails(f);
            assertThat(app.problems()).extracting(Problem::check).containsExactly("failure", "rpo");
            assertThat(app.problems()).extracting(p -> p.next().action()).containsOnly(Action.FIX_AND_CREATE_BACKUP);
        }
    }

    @Test
    void withoutARecentPassingDrillItIsLateAndTheNextStepDrillsTheNewestBackup() {
        try (ServiceOverFakes f = fakes("databases: {app: {drill_every: 7d}}")) {
            BackupRecord b = f.backup("app");
            Problem p = onlyLateProblem(f, "drill_every", Action.VERIFY_RESTORE);
            assertThat(p.message()).endsWith("in the last 7d: none was ever run");
            assertNextStepIsOn(p, b, "main");

            drill(f, b);
            SourceHealth drilled = appNow(f, HealthState.OK);
            assertThat(drilled.newestDrill().result()).isEqualTo("PASS");
            assertThat(drilled.newestPassingDrill()).isEqualTo(f.clock().instant());

            f.advance(Duration.ofDays(8));
            f.backup("app"); // a new backup does not make up for an old drill
            assertThat(app(f.service().status()).state()).isEqualTo(HealthState.LATE);
        }
    }

    @Test
    void aFailedDrillAfterAPassIsShownWhileThePassStillKeepsTheObjective() {
        try (ServiceOverFakes f = fakes("databases: {app: {drill_every: 7d}}")) {
            BackupRecord b = f.backup("app");
            drill(f, b);
            java.time.Instant passed = f.clock().instant();
            f.advance(Duration.ofDays(1));
            f.engine().failAt(dev.lifeboat.core.testing.FakeDumpEngine.Step.RESTORE);
            drill(f, b);
            SourceHealth app = app(f.service().status());
            assertThat(app.newestDrill().result()).isEqualTo("FAIL");
            assertThat(app.newestDrill().startedAt()).isEqualTo(f.clock().instant());
            assertThat(app.newestPassingDrill()).isEqualTo(passed);
            assertThat(app.state()).isEqualTo(HealthState.OK);

            f.advance(Duration.ofDays(7));
            SourceHealth late = appNow(f, HealthState.LATE);
            assertThat(late.problems().get(0).message()).contains("the newest pass was 8d ago");
        }
    }

    @Test
    void tooFewCopiesIsLateAndTheNextStepCopiesToAStoreWithoutIt() {
        try (ServiceOverFakes f = fakes("databases: {app: {copies: 2}}")) {
            BackupRecord b = f.backup("app");
            Problem p = onlyLateProblem(f, "copies", Action.COPY_BACKUP);
            assertThat(p.message()).contains("is in 1 store (main); copies is 2");
            assertNextStepIsOn(p, b, "offsite");

            f.service().copy(b.manifest().id(), "main", "offsite", ServiceOverFakes.CALLER);
            SourceHealth two = appNow(f, HealthState.OK);
            assertThat(two.copies()).containsExactlyInAnyOrder("main", "offsite");
            assertThat(two.backups()).isEqualTo(2);
        }
    }

    @Test
    void copiesBeyondTheConfiguredStoresAskForAnotherStore() {
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", TABLES)
                .raw("databases: {app: {copies: 2}}")
                .build()) {
            f.backup("app");
            assertThat(app(f.service().status()).problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.next().action()).isEqualTo(Action.ADD_STORE));
        }
    }

    @Test
    void aSetsObjectivesBindItsMembersAndTheSetIsAsBadAsItsWorstMember() {
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("api", TABLES)
                .database("idp", TABLES)
                .set("shop", "api", "idp")
                .raw("sets: {shop: {rpo: 26h}}\ndatabases: {api: {rpo: 48h}}")
                .build()) {
            f.backup("api");
            f.backup("idp");
            f.advance(Duration.ofHours(27));
            f.backup("idp");
            HealthReport r = f.service().status();
            SourceHealth api = r.sources().get(0);
            assertThat(api.objectives().rpo()).isEqualTo("26h"); // the stricter of its own and the set's
            assertThat(api.state()).isEqualTo(HealthState.LATE);
            assertThat(r.sources().get(1).state()).isEqualTo(HealthState.OK);
            assertThat(r.sets()).singleElement().satisfies(s -> {
                assertThat(s.kind()).isEqualTo("set");
                assertThat(s.state()).isEqualTo(HealthState.LATE);
                assertThat(s.objectives().rpo()).isEqualTo("26h");
                assertThat(s.members())
                        .containsExactly(
                                new SourceHealth.Member("api", HealthState.LATE),
                                new SourceHealth.Member("idp", HealthState.OK));
            });
        }
    }

    @Test
    void anUnreadableStoreIsReportedAndMakesTheReportUnhealthy() {
        try (ServiceOverFakes f = fakes("")) {
            f.backup("app");
            f.backup("app", "offsite");
            f.store("offsite").failLists();
            HealthReport r = f.service().status();
            assertThat(r.healthy()).isFalse();
            assertThat(r.stores())
                    .filteredOn(s -> s.name().equals("offsite"))
                    .singleElement()
                    .satisfies(s -> {
                        assertThat(s.error()).startsWith("STORE_UNAVAILABLE");
                        assertThat(s.next().action()).isEqualTo(Action.FIX_STORE);
                    });
            assertThat(app(r).state()).isEqualTo(HealthState.OK);
        }
    }

    @Test
    void badObjectivesAreRefusedNamingTheSetting() {
        ConfigBuilder c = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u").set("rpo", "soon").set("copies", 0))
                .directory("files", dir, d -> d.set("drill_every", "-1d"))
                .set("all", "app")
                .raw("sets: {all: {rpo: 0s}}");
        assertThatThrownBy(() -> c.load(Map.of("HOME", dir.toString())))
                .isInstanceOf(LifeboatException.class)
                .hasMessageContaining("databases.app.rpo: 'soon' is not a positive duration")
                .hasMessageContaining("databases.app.copies: '0' is not a number of stores")
                .hasMessageContaining("directories.files.drill_every: '-1d' is not a positive duration")
                .hasMessageContaining("sets.all.rpo: '0s' is not a positive duration");
    }

    @Test
    void aBackupTakenElsewhereCountsEvenWithAnEmptyAuditLog() {
        // a fresh install (no audit log) over a store a cron job on another host fills
        try (ServiceOverFakes f = fakes("databases: {app: {rpo: 26h}}")) {
            f.service().create(new CreateBackupRequest("app", null, null, Map.of()), ServiceOverFakes.CALLER);
            f.context().audit().file().toFile().delete();
            SourceHealth app = appNow(f, HealthState.OK);
            assertThat(app.lastFailure()).isNull();
        }
    }
}

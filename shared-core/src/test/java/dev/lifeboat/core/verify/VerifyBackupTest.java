package dev.lifeboat.core.verify;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.FakeDumpEngine.Step;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerificationReport.Check;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VerifyBackup}'s decisions over the fakes: damage is a failed check in a report (never an
 * exception), each level runs only when the one before it passed, and a drill that cannot complete
 * is a FAIL record with its scratch database dropped.
 */
class VerifyBackupTest {
    @TempDir
    Path dir;

    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3, "orders", 5))
            .build();

    private final VerifyBackup verify = new VerifyBackup(f.context());
    private Manifest m;
    private String dumpKey;
    private int engineCallsBefore;

    @BeforeEach
    void setUp() {
        m = f.backup("app").manifest();
        dumpKey = "app/" + m.id() + "/dump";
        engineCallsBefore = f.engine().calls().size();
    }

    private VerificationReport verify(VerifyLevel level) {
        return verify.verify(m.id(), null, level, ServiceOverFakes.CALLER);
    }

    private static Check check(VerificationReport r, String name) {
        return r.checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check '" + name + "' in " + r.checks()));
    }

    private List<String> newEngineCalls() {
        List<String> all = f.engine().calls();
        return all.subList(engineCallsBefore, all.size());
    }

    private List<String> drillKeys() {
        return f.store().keys().stream().filter(k -> k.contains("/drills/")).toList();
    }

    // ---- checksum ----

    @Test
    void checksumPassesOnAnIntactBackupWithoutTheServer() {
        f.engine().unreachable();

        VerificationReport r = verify(VerifyLevel.CHECKSUM);

        assertThat(r.passed()).as("%s", r.checks()).isTrue();
        assertThat(r.checks()).extracting(Check::name).containsExactly("size", "sha256", "archive-format");
        assertThat(check(r, "sha256").actual()).isEqualTo(m.sha256());
        assertThat(r.drill()).isNull();
        assertThat(newEngineCalls()).as("a checksum needs no database").isEmpty();
        assertThat(f.lastAudit())
                .containsEntry("operation", "verify:checksum")
                .containsEntry("outcome", "passed")
                .containsEntry("backup_id", m.id());
    }

    @Test
    void checksumFailsOnACorruptedObjectOfTheRightSize() {
        f.store().corrupt(dumpKey, 50);

        VerificationReport r = verify(VerifyLevel.CHECKSUM);

        assertThat(r.passed()).isFalse();
        assertThat(check(r, "size").passed()).isTrue();
        Check sha = check(r, "sha256");
        assertThat(sha.passed()).isFalse();
        assertThat(sha.expected()).isEqualTo(m.sha256());
        assertThat(sha.actual()).isNotEqualTo(m.sha256()).hasSize(64);
        assertThat(check(r, "archive-format").passed())
                .as("the header is intact")
                .isTrue();
        assertThat(f.lastAudit())
                .containsEntry("outcome", "failed")
                .containsEntry("error_code", "INTEGRITY_FAILED")
                .containsEntry("detail", "sha256");
    }

    @Test
    void aDamagedHeaderFailsTheFormatCheckToo() {
        f.store().corrupt(dumpKey, 0);

        VerificationReport r = verify(VerifyLevel.CHECKSUM);

        assertThat(r.passed()).isFalse();
        assertThat(check(r, "archive-format").passed()).isFalse();
        assertThat(check(r, "archive-format").actual()).isEqualTo("something else");
        assertThat(f.lastAudit()).containsEntry("detail", "sha256, archive-format");
    }

    @Test
    void aTruncatedObjectFailsTheSizeCheck() {
        f.store().truncate(dumpKey, 20);

        VerificationReport r = verify(VerifyLevel.CHECKSUM);

        assertThat(r.passed()).isFalse();
        Check size = check(r, "size");
        assertThat(size.passed()).isFalse();
        assertThat(size.expected()).isEqualTo(Long.toString(m.sizeBytes()));
        assertThat(size.actual()).isEqualTo("20");
        assertThat(check(r, "sha256").passed()).isFalse();
    }

    @Test
    void aMissingDataObjectIsAFailedCheckAndNothingElseIsAttempted() {
        f.store().delete(dumpKey);

        VerificationReport r = verify(VerifyLevel.RESTORE);

        assertThat(r.passed()).isFalse();
        assertThat(r.checks()).extracting(Check::name).containsExactly("data-present", "restore-drill");
        assertThat(check(r, "data-present").actual()).isEqualTo("missing");
        assertThat(check(r, "restore-drill").actual()).isEqualTo("not attempted");
        assertThat(r.drill()).isNull();
        assertThat(newEngineCalls()).isEmpty();
        assertThat(drillKeys()).isEmpty();
        assertThat(f.lastAudit()).containsEntry("outcome", "failed").containsEntry("operation", "verify:restore");
    }

    @Test
    void aStoreThatFailsWhileTheBytesAreReadIsAnErrorAndLeavesAnAuditLine() {
        f.store().failReads(dumpKey, 10);

        refused(ErrorCode.STORE_UNAVAILABLE, () -> verify(VerifyLevel.CHECKSUM));

        // "every verification leaves an audit line" (VerifyBackup), as create, restore and delete do
        // when they fail
        assertThat(f.lastAudit())
                .containsEntry("operation", "verify:checksum")
                .containsEntry("outcome", "error")
                .containsEntry("error_code", "STORE_UNAVAILABLE")
                .containsEntry("backup_id", m.id());
    }

    @Test
    void anUnknownBackupIsNotFoundAndAMalformedIdInvalid() {
        String other = m.id().substring(0, m.id().length() - 4) + (m.id().endsWith("0000") ? "0001" : "0000");
        refused(ErrorCode.NOT_FOUND, () -> verify.verify(other, null, VerifyLevel.CHECKSUM, ServiceOverFakes.CALLER));
        refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> verify.verify("../etc/passwd", null, VerifyLevel.CHECKSUM, ServiceOverFakes.CALLER));
    }

    @Test
    void aCancelledVerificationThrowsCancelled() {
        OperationContext c = OperationContext.of("test", "tester");
        c.cancel().cancel();

        refused(ErrorCode.CANCELLED, () -> verify.verify(m.id(), null, VerifyLevel.RESTORE, c));

        assertThat(newEngineCalls()).isEmpty();
        assertThat(drillKeys()).isEmpty();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the cancel's interrupt does not leak")
                .isFalse();
    }

    // ---- archive ----

    @Test
    void archiveLevelReadsTheTableOfContentsOverTheFake() {
        VerificationReport r = verify(VerifyLevel.ARCHIVE);

        assertThat(r.passed()).as("%s", r.checks()).isTrue();
        Check toc = check(r, "archive-toc");
        assertThat(toc.expected()).isEqualTo("2 tables with data");
        assertThat(toc.actual()).isEqualTo("4 entries, 2 with table data");
        assertThat(newEngineCalls()).contains("listArchive").noneMatch(c -> c.startsWith("restore"));
        assertThat(f.lastAudit()).containsEntry("operation", "verify:archive");
    }

    @Test
    void archiveLevelNeedsNoServer() {
        f.engine().unreachable();

        VerificationReport r = verify(VerifyLevel.ARCHIVE);

        assertThat(r.passed()).as("%s", r.checks()).isTrue();
    }

    @Test
    void archiveLevelIsNotAttemptedOnDamagedBytes() {
        f.store().corrupt(dumpKey, 50);

        VerificationReport r = verify(VerifyLevel.ARCHIVE);

        assertThat(r.passed()).isFalse();
        assertThat(check(r, "archive-toc").actual()).isEqualTo("not attempted");
        assertThat(newEngineCalls()).doesNotContain("listArchive");
    }

    @Test
    void anUnreadableArchiveIsAFailedCheckNotAnException() {
        f.engine().failAt(Step.LIST_ARCHIVE);

        VerificationReport r = verify(VerifyLevel.ARCHIVE);

        assertThat(r.passed()).isFalse();
        Check toc = check(r, "archive-toc");
        assertThat(toc.passed()).isFalse();
        assertThat(toc.actual()).isEqualTo("unreadable");
        assertThat(toc.detail()).contains("pg_restore --list");
        assertThat(f.lastAudit()).containsEntry("detail", "archive-toc");
    }

    // ---- drills ----

    @Test
    void aDrillRestoresComparesAndDropsTheScratchDatabase() {
        VerificationReport r = verify(VerifyLevel.RESTORE);

        assertThat(r.passed()).as("%s", r.checks()).isTrue();
        DrillRecord d = r.drill();
        assertThat(d.result()).isEqualTo("PASS");
        assertThat(d.error()).isNull();
        assertThat(d.tables())
                .extracting(DrillRecord.TableResult::table, DrillRecord.TableResult::restoredRows)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("public.accounts", 3L),
                        org.assertj.core.groups.Tuple.tuple("public.orders", 5L));
        assertThat(d.tables()).allMatch(DrillRecord.TableResult::passed);
        assertThat(d.scratchDatabase()).startsWith("lifeboat_drill_");
        assertThat(d.scratchDropped()).isTrue();
        assertThat(f.engine().tables(d.scratchDatabase())).isEmpty();
        assertThat(newEngineCalls())
                .contains(
                        "createDatabase " + d.scratchDatabase(),
                        "restore " + d.scratchDatabase(),
                        "dropDatabase " + d.scratchDatabase());
        assertThat(f.engine().restores()).singleElement().satisfies(call -> {
            assertThat(call.options().clean()).isFalse();
            assertThat(call.sha256()).isEqualTo(m.sha256());
        });
        assertThat(drillKeys()).hasSize(1);
        assertThat(f.service().drills("app", null))
                .singleElement()
                .satisfies(rec -> assertThat(rec.passed()).isTrue());
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aDrillWhoseRestoreFailsIsAFailRecordWithTheScratchDatabaseDropped() {
        f.engine().failAt(Step.RESTORE);

        VerificationReport r = verify(VerifyLevel.RESTORE);

        assertThat(r.passed()).isFalse();
        DrillRecord d = r.drill();
        assertThat(d.result()).isEqualTo("FAIL");
        assertThat(d.error()).startsWith("TOOL_FAILED:");
        assertThat(d.scratchDropped()).isTrue();
        assertThat(f.engine().tables(d.scratchDatabase()))
                .as("the half-restored scratch database is gone")
                .isEmpty();
        assertThat(newEngineCalls()).contains("dropDatabase " + d.scratchDatabase());
        assertThat(check(r, "restore-drill").passed()).isFalse();
        assertThat(check(r, "restore-drill").detail()).contains("TOOL_FAILED");
        assertThat(f.service().drills("app", null))
                .singleElement()
                .satisfies(rec -> assertThat(rec.result()).isEqualTo("FAIL"));
        assertThat(f.lastAudit()).containsEntry("outcome", "failed").containsEntry("detail", "restore-drill");
        assertThat(f.spoolFiles()).isEmpty();
    }

    @Test
    void aDrillWhoseComparisonCannotRunIsAFailWithTheScratchDatabaseDropped() {
        f.engine().failAt(Step.DATABASE_CONTENTS);

        DrillRecord d = verify(VerifyLevel.RESTORE).drill();

        assertThat(d.result()).isEqualTo("FAIL");
        assertThat(d.error()).contains("pg_dump --data-only");
        assertThat(d.tables()).isEmpty();
        assertThat(d.scratchDropped()).isTrue();
        assertThat(f.engine().tables(d.scratchDatabase())).isEmpty();
    }

    @Test
    void aDrillThatCannotDropItsScratchDatabaseIsAFailThatSaysSo() {
        f.engine().failAt(Step.DROP_DATABASE);

        DrillRecord d = verify(VerifyLevel.RESTORE).drill();

        assertThat(d.result()).isEqualTo("FAIL");
        assertThat(d.scratchDropped()).isFalse();
        assertThat(d.error()).contains("could not be dropped").contains(d.scratchDatabase());
        assertThat(d.mismatches()).as("the comparison itself passed").isEmpty();
        assertThat(f.engine().tables(d.scratchDatabase())).isPresent();
    }

    @Test
    void aDrillWithTheServerDownIsAFailRecordNotAnException() {
        f.engine().unreachable();

        VerificationReport r = verify(VerifyLevel.RESTORE);

        DrillRecord d = r.drill();
        assertThat(d.result()).isEqualTo("FAIL");
        assertThat(d.error()).startsWith("DATABASE_UNREACHABLE:");
        assertThat(newEngineCalls()).noneMatch(c -> c.startsWith("createDatabase"));
        assertThat(drillKeys()).hasSize(1);
    }

    @Test
    void aDrillOfADamagedBackupIsNotAttempted() {
        f.store().corrupt(dumpKey, 50);

        VerificationReport r = verify(VerifyLevel.RESTORE);

        assertThat(r.drill()).isNull();
        assertThat(check(r, "restore-drill").actual()).isEqualTo("not attempted");
        assertThat(newEngineCalls()).isEmpty();
        assertThat(drillKeys()).isEmpty();
    }

    @Test
    void aDrillRunsOnTheDrillTargetsServer() {
        try (ServiceOverFakes g = ServiceOverFakes.in(dir.resolve("g"))
                .database("app", Map.of("accounts", 3))
                .configuredDatabase("scratch")
                .databaseSetting("scratch", "host", "drill.test")
                .drillTarget("app", "scratch")
                .build()) {
            Manifest b = g.backup("app").manifest();

            VerificationReport r =
                    new VerifyBackup(g.context()).verify(b.id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER);

            assertThat(r.passed()).as("%s", r.checks()).isTrue();
            assertThat(r.drill().drillServer().host()).isEqualTo("drill.test");
            assertThat(r.drill().sourceServer().host()).isEqualTo("db.test");
            assertThat(g.engine().restores())
                    .singleElement()
                    .satisfies(call -> assertThat(call.target().host()).isEqualTo("drill.test"));
        }
    }
}

package dev.lifeboat.core.testing;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the integration tests of the real service start: the {@link PgCluster#shared() shared cluster},
 * the test's own directory for a {@link LiveService} (its configuration, local stores and state), and
 * one caller. Each test makes its {@link #source} database and its {@link #live} service in its own
 * {@code @BeforeEach} (often through {@link #sampleApp}), since each needs other data and entries.
 */
public abstract class OverSharedCluster {
    protected final PgCluster pg = PgCluster.shared();

    @TempDir
    protected Path dir;

    /** The cluster's database the service backs up. */
    protected String source;

    /** The configuration over {@link #pg} in {@link #dir}. */
    protected LiveService live;

    protected final OperationContext ctx = OperationContext.of("test", "tester");

    /**
     * Makes {@link #source} a fresh {@link SampleData sample database} ({@code rows} rows, its name
     * starting with {@code prefix}) and returns a configuration whose entry "app" backs it up.
     */
    protected LiveService sampleApp(String prefix, int rows) {
        return sampleApp(prefix, rows, db -> {});
    }

    /** As {@link #sampleApp(String, int)}, with {@code app}'s settings on the entry "app". */
    protected LiveService sampleApp(String prefix, int rows, Consumer<ConfigBuilder.Database> app) {
        source = SampleData.database(pg, prefix, rows);
        return LiveService.over(pg, dir).database("app", source, app);
    }

    /** Backs up the entry "app" through {@code service} as asked with no options; returns its manifest. */
    protected Manifest backupOfApp(BackupService service) {
        return service.create(new CreateBackupRequest("app", null, null, null), ctx)
                .manifest();
    }

    /** The one check named {@code name} in {@code report}, after asserting that there is exactly one. */
    protected static VerificationReport.Check onlyCheck(VerificationReport report, String name) {
        List<VerificationReport.Check> named =
                report.checks().stream().filter(c -> c.name().equals(name)).toList();
        assertThat(named).as("the checks named %s in %s", name, report.checks()).hasSize(1);
        return named.get(0);
    }

    /** {@code request} planned now through {@code service}, carrying the plan's confirmation token. */
    protected static RestoreRequest confirmed(BackupService service, RestoreRequest request) {
        return request.withToken(service.planRestore(request).confirmation().token());
    }

    /** The confirmation token of a plan to restore directory backup {@code m} into {@code target}. */
    protected static String directoryRestoreToken(BackupService service, Manifest m, Path target) {
        return service.planDirectoryRestore(new DirectoryRestoreRequest(m.id(), null, target.toString(), null))
                .confirmation()
                .token();
    }

    /**
     * Asserts that {@code service} refuses the confirmed restore of directory backup {@code m} into
     * {@code target} as INTEGRITY_FAILED, its message containing {@code words}, and that {@code target}
     * is still as {@code before} described it.
     */
    protected void assertDirectoryRestoreRefusedAsDamaged(
            BackupService service, Manifest m, Path target, Map<String, String> before, String... words)
            throws IOException {
        String token = directoryRestoreToken(service, m, target);
        assertThat(refused(
                                ErrorCode.INTEGRITY_FAILED,
                                () -> service.restoreDirectory(
                                        new DirectoryRestoreRequest(m.id(), null, target.toString(), token), ctx))
                        .getMessage())
                .contains(words);
        assertThat(SampleTree.describe(target)).isEqualTo(before);
    }

    /**
     * Asserts that {@code service} refuses to restore {@code m} into a new database with {@code code},
     * and that the database was not created; returns the refusal for more checks.
     */
    protected LifeboatException refusedIntoNew(BackupService service, Manifest m, ErrorCode code) {
        return refusedIntoNew(service, m, code, null);
    }

    /** As above, with {@code jobs} pg_restore jobs (1: the archive streamed from the store, no spool). */
    protected LifeboatException refusedIntoNew(BackupService service, Manifest m, ErrorCode code, Integer jobs) {
        String target = PgCluster.uniqueName("refused");
        LifeboatException e = refused(
                code,
                () -> service.restore(
                        new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null, jobs), ctx));
        assertThat(pg.databaseExists(target)).isFalse();
        return e;
    }
}

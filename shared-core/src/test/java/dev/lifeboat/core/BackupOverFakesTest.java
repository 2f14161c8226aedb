package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.testing.FakeDumpEngine;
import dev.lifeboat.core.testing.MemoryBackupStore;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service runs over the test fakes, without PostgreSQL or a store on disk: the seam its
 * adapter-taking constructor opens, shown once end to end (see {@code dev.lifeboat.core.testing}).
 */
class BackupOverFakesTest {
    private static final OperationContext CONTEXT = OperationContext.of("test", "tester");

    @TempDir
    Path dir;

    @Test
    void aBackupTakenOverTheFakesListsVerifiesAndRestores() throws IOException {
        FakeDumpEngine engine = new FakeDumpEngine().database("app", Map.of("accounts", 3, "orders", 5));
        MemoryBackupStore store = new MemoryBackupStore("main");
        Map<String, String> env = Map.of("HOME", dir.toString());
        try (BackupService service = new BackupService(
                config(env), db -> engine, sc -> store, new PasswordSources(env), Clock.systemUTC())) {
            BackupRecord created =
                    service.create(new CreateBackupRequest("app", null, "over fakes", Map.of()), CONTEXT);
            Manifest m = created.manifest();
            assertThat(m.tables())
                    .extracting(TableSummary::qualifiedName, TableSummary::rows)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("public.accounts", 3L),
                            org.assertj.core.groups.Tuple.tuple("public.orders", 5L));
            assertThat(store.keys()).containsExactly("app/" + m.id() + "/dump", "app/" + m.id() + "/manifest.json");

            assertThat(service.list(ListBackupsQuery.all()))
                    .extracting(r -> r.manifest().id())
                    .containsExactly(m.id());

            VerificationReport report = service.verify(m.id(), null, VerifyLevel.CHECKSUM, CONTEXT);
            assertThat(report.passed()).as("%s", report.checks()).isTrue();

            RestoreResult restored = service.restore(
                    new RestoreRequest(m.id(), null, null, "app_copy", RestoreMode.CREATE, null), CONTEXT);
            assertThat(restored.targetDbname()).isEqualTo("app_copy");
            assertThat(restored.sha256()).isEqualTo(m.sha256());
            assertThat(engine.tables("app_copy")).isEqualTo(engine.tables("app"));
            assertThat(engine.restores()).singleElement().satisfies(call -> {
                assertThat(call.target().dbname()).isEqualTo("app_copy");
                assertThat(call.options().clean()).isFalse();
                assertThat(call.sha256()).isEqualTo(m.sha256());
            });
        }
        assertThat(store.closed()).isTrue();
        assertThat(engine.closes())
                .as("one engine per operation: create, restore")
                .isEqualTo(2);
    }

    private LifeboatConfig config(Map<String, String> env) throws IOException {
        Path f = dir.resolve("lifeboat.yaml");
        // the store's URI is never opened: the constructor's store opener hands out the memory store
        Files.writeString(f, """
                databases:
                  app:
                    host: db.test
                    user: lifeboat
                stores:
                  main:
                    uri: %s
                defaults:
                  database: app
                  store: main
                state_dir: %s
                """.formatted(dir.resolve("unused-store").toUri(), dir.resolve("state")));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return new ConfigLoader(env).load(f);
    }
}

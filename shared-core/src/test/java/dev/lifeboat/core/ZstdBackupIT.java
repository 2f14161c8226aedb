package dev.lifeboat.core;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.manage.BackupCopier;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compression: zstd} through the whole service against a real PostgreSQL, with and without age
 * encryption; recovery by hand with the zstd and age CLIs; and parallel restores of pipe-written dumps.
 */
class ZstdBackupIT extends OverSharedCluster {
    private Path storeDir;

    @BeforeEach
    void setUp() {
        live = sampleApp("zsrc", 300, db -> db.countRows("exact"))
                .store("main")
                .store("copies")
                .config(c -> c.defaultStore("main"));
        storeDir = live.storeDir("main");
    }

    /** A service whose database {@code app} gets the {@code db} settings and store {@code main} the {@code store} ones. */
    private BackupService open(Consumer<ConfigBuilder.Database> db, Consumer<ConfigBuilder.Store> store) {
        return live.open(c -> c.database("app", db).store("main", storeDir, store));
    }

    /** A service whose database {@code app} asks for zstd. */
    private BackupService zstd() {
        return open(db -> db.compression("zstd"), st -> {});
    }

    /** A service whose store {@code main} compresses with zstd and encrypts. */
    private BackupService zstdAndAge() {
        return open(db -> {}, live.encrypted().andThen(st -> st.compression("zstd")));
    }

    private Path stored(Manifest m) {
        return storeDir.resolve("app/" + m.id() + "/dump");
    }

    private RestoreResult restoreNew(BackupService s, Manifest m, String target, Integer jobs) {
        return s.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null, jobs), ctx);
    }

    @Test
    void aZstdBackupRoundTripsVerifiesAndDrills() throws IOException {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.format()).isEqualTo("custom");
            try (var in = Files.newInputStream(stored(m))) {
                assertThat(ZstdCompression.hasMagic(in.readNBytes(4))).isTrue();
            }

            VerificationReport archive = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(archive.passed()).as("%s", archive.checks()).isTrue();
            assertThat(onlyCheck(archive, "archive-format").actual()).isEqualTo("zstd");

            String target = PgCluster.uniqueName("zrest");
            RestoreResult result = restoreNew(s, m, target, null);
            assertThat(result.jobs()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));

            VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.passed()).as("%s", drill.checks()).isTrue();
            assertThat(drill.drill().tables()).isNotEmpty();
            // the spool file of the decompressed archive is gone after every restore
            try (var spool = Files.list(dir.resolve("state/spool"))) {
                assertThat(spool.toList()).isEmpty();
            }
        }
    }

    @Test
    void aZstdBackupIsSmallerThanTheUncompressedArchiveAndTheRequestOverridesTheConfig() throws IOException {
        SampleData.createBulk(pg, source, 4);
        try (BackupService s = open(db -> db.compression("zstd").compressionLevel(9), st -> st.compression("gzip"))) {
            Manifest zstd = backupOfApp(s);
            Manifest none = s.create(new CreateBackupRequest("app", null, null, null, "none"), ctx)
                    .manifest();
            Manifest gzip = s.create(new CreateBackupRequest("app", null, null, null, "gzip"), ctx)
                    .manifest();
            assertThat(zstd.compression()).isEqualTo("zstd");
            assertThat(none.compression()).isEqualTo("none");
            assertThat(gzip.compression()).isEqualTo("gzip");
            assertThat(zstd.sizeBytes()).isLessThan(none.sizeBytes());
            try (var in = Files.newInputStream(stored(none))) {
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII))
                        .isEqualTo("PGDMP");
            }
            for (Manifest m : List.of(none, gzip)) {
                String target = PgCluster.uniqueName("zover");
                restoreNew(s, m, target, 2);
                assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            }
            assertThat(refused(
                            ErrorCode.INVALID_ARGUMENT,
                            () -> s.create(new CreateBackupRequest("app", null, null, null, "lz4"), ctx)))
                    .hasMessageContaining("lz4")
                    .hasMessageContaining("gzip, zstd, none");
        }
    }

    @Test
    void aZstdAndAgeBackupRoundTripsAndItsChecksumNeedsNoKey() throws IOException {
        try (BackupService s = zstdAndAge()) {
            Manifest m = backupOfApp(s);
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.encryption().format()).isEqualTo("age");
            assertThat(new String(Files.readAllBytes(stored(m)), 0, 21, StandardCharsets.US_ASCII))
                    .isEqualTo("age-encryption.org/v1");

            assertThat(s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx).passed())
                    .isTrue();
            String target = PgCluster.uniqueName("zage");
            restoreNew(s, m, target, 2);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.passed()).as("%s", drill.checks()).isTrue();
        }
    }

    @Test
    void withoutLifeboatZstdAndPgRestoreRecoverAZstdBackup() throws Exception {
        InteropTools.assumeInstalled("zstd", "zstd");
        Manifest m;
        try (BackupService s = zstd()) {
            m = backupOfApp(s);
        }
        String target = pg.createDatabase(PgCluster.uniqueName("zhand"));
        pipeline(List.of(List.of("zstd", "-d", "-c", stored(m).toString()), pg.pgRestoreCommand(target)));
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void withoutLifeboatAgeZstdAndPgRestoreRecoverAnEncryptedZstdBackup() throws Exception {
        InteropTools.assumeInstalled("age", "age");
        InteropTools.assumeInstalled("zstd", "zstd");
        Manifest m;
        try (BackupService s = zstdAndAge()) {
            m = backupOfApp(s);
        }
        String target = pg.createDatabase(PgCluster.uniqueName("zagehand"));
        pipeline(List.of(
                List.of("age", "-d", "-i", live.keyFile().toString(), stored(m).toString()),
                List.of("zstd", "-d", "-c"),
                pg.pgRestoreCommand(target)));
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void damagedZstdDataIsAnIntegrityErrorAndTheTargetIsNeverCreated() throws Exception {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            Path dump = stored(m);
            // flip a byte in the middle of the compressed data
            Tampering.flipMiddleByte(dump, 0x5a);
            assertThat(refusedIntoNew(s, m, ErrorCode.INTEGRITY_FAILED)).hasMessageContaining("integrity check failed");

            // the same damage behind a manifest re-sealed to it: the checksum passes, zstd's own does not
            Tampering.reseal(m, dump);
            assertThat(refusedIntoNew(s, m, ErrorCode.INTEGRITY_FAILED))
                    .hasMessageContaining("zstd-compressed backup is damaged");
            // verify reports the damage as a failed check (pg_restore --list or the drill), not a crash
            VerificationReport report = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(report.passed()).isFalse();
            assertThat(report.checks())
                    .filteredOn(c -> !c.passed())
                    .extracting(VerificationReport.Check::name)
                    .containsAnyOf("archive-toc", "restore-drill");
        }
    }

    /** A context whose progress looks into the spool directory at every report, noting what it finds there. */
    private OperationContext watchingTheSpool(List<String> seen) {
        Path spool = dir.resolve("state/spool");
        return new OperationContext(
                "test",
                "tester",
                (done, total, message) -> {
                    if (Files.isDirectory(spool)) {
                        try (var files = Files.list(spool)) {
                            files.forEach(f -> seen.add(f.getFileName().toString()));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                },
                new dev.lifeboat.core.base.CancelSignal());
    }

    @Test
    void oneJobRestoresNewCleanAndReplaceOfAZstdAndAgeBackupStreamFromTheStoreWithoutASpool() throws IOException {
        try (BackupService s = zstdAndAge()) {
            Manifest m = backupOfApp(s);
            List<String> spooled = new java.util.concurrent.CopyOnWriteArrayList<>();
            String target = PgCluster.uniqueName("zstream");
            RestoreResult created = s.restore(
                    new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null, 1),
                    watchingTheSpool(spooled));
            assertThat(created.jobs()).isEqualTo(1);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));

            pg.execute(target, "DELETE FROM public.numbers WHERE id % 2 = 0", "CREATE TABLE public.later (x int)");
            s.restore(
                    confirmed(s, new RestoreRequest(m.id(), null, null, target, RestoreMode.CLEAN, null, null)),
                    watchingTheSpool(spooled));
            assertThat(pg.tableFingerprints(target)).containsAllEntriesOf(pg.tableFingerprints(source));

            pg.execute(target, "DELETE FROM public.numbers WHERE id % 3 = 0");
            RestoreResult replaced = s.restore(
                    confirmed(s, new RestoreRequest(m.id(), null, null, target, RestoreMode.REPLACE, null, 1)),
                    watchingTheSpool(spooled));
            assertThat(replaced.jobs()).isEqualTo(1);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            assertThat(spooled)
                    .as("no spool file was written for any of the restores")
                    .isEmpty();
        }
    }

    @Test
    void aTwoJobReplaceOfAZstdBackupRestoresFromTheSpoolAndADamagedOneLeavesTheTargetAndNothingBeside()
            throws Exception {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            String target = PgCluster.uniqueName("zspool");
            restoreNew(s, m, target, 1);
            pg.execute(target, "DELETE FROM public.numbers WHERE id % 3 = 0", "CREATE TABLE public.later (x int)");

            // two jobs: pg_restore needs a file, so the archive is decoded into the spool (with its data
            // offsets written in) while the shadow is created
            RestoreRequest replace = new RestoreRequest(m.id(), null, null, target, RestoreMode.REPLACE, null, 2);
            RestoreResult replaced = s.restore(
                    replace.withToken(s.planRestore(replace).confirmation().token()), ctx);
            assertThat(replaced.jobs()).isEqualTo(2);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));

            pg.execute(target, "CREATE TABLE public.after_replace (x int)");
            Map<String, PgCluster.TableFingerprint> before = pg.tableFingerprints(target);
            String token = s.planRestore(replace).confirmation().token();
            Tampering.flipMiddleByte(stored(m), 0x5a);
            assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> s.restore(replace.withToken(token), ctx)))
                    .hasMessageContaining("not touched");
            assertThat(pg.tableFingerprints(target)).isEqualTo(before);
            assertThat(pg.query(
                            "postgres",
                            "SELECT datname FROM pg_database WHERE datname LIKE '" + target + "\\_\\_restoring\\_%'"))
                    .as("the shadow created while the archive was read is gone")
                    .isEmpty();
        }
    }

    @Test
    void aTwoJobReplaceWhoseLargestTableHoldsMostRowsStreamsTheDataAndBuildsWhatFollowsItInTwoJobs() throws Exception {
        SampleData.createBulk(pg, source, 4); // ~26,000 rows against 300 in each sample table
        // what only the part after the data restores: an index, a foreign key, a materialized view's
        // contents, a grant
        pg.execute(
                source,
                "CREATE INDEX bulk_by_id ON public.bulk (id)",
                "ALTER TABLE public.texts ADD CONSTRAINT texts_numbers FOREIGN KEY (id) REFERENCES public.numbers (id)",
                "CREATE MATERIALIZED VIEW public.bulk_total AS SELECT count(*) AS n FROM public.bulk",
                "GRANT SELECT ON public.bulk TO PUBLIC",
                "ANALYZE");
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            String target = PgCluster.uniqueName("zsplit");
            restoreNew(s, m, target, 1);
            pg.execute(target, "DROP INDEX public.bulk_by_id", "DELETE FROM public.bulk WHERE id % 2 = 0");

            RestoreRequest replace = new RestoreRequest(m.id(), null, null, target, RestoreMode.REPLACE, null, 2);
            List<String> spooled = new java.util.concurrent.CopyOnWriteArrayList<>();
            RestoreResult replaced = s.restore(
                    replace.withToken(s.planRestore(replace).confirmation().token()), watchingTheSpool(spooled));

            assertThat(replaced.jobs()).isEqualTo(2);
            assertThat(replaced.notes()).anyMatch(n -> n.contains("public.bulk holds") && n.contains("2 jobs"));
            assertThat(spooled).as("the archive was not decoded into the spool").noneMatch(f -> f.endsWith(".dump"));
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            String definitions = "SELECT string_agg(d, E'\\n' ORDER BY d) FROM ("
                    + " SELECT indexdef AS d FROM pg_indexes WHERE schemaname IN ('public', 'ledger')"
                    + " UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE connamespace IN ('public'::regnamespace, 'ledger'::regnamespace)"
                    + " UNION ALL SELECT 'bulk acl ' || relacl::text FROM pg_class WHERE oid = 'public.bulk'::regclass"
                    + " UNION ALL SELECT 'bulk_total ' || n FROM public.bulk_total) x";
            assertThat(pg.queryValue(target, definitions))
                    .contains("bulk_by_id", "texts_numbers", "bulk_total ")
                    .isEqualTo(pg.queryValue(source, definitions));
            try (var left = Files.list(dir.resolve("state/spool"))) {
                assertThat(left.toList())
                        .as("no copy of the archive's head is left")
                        .isEmpty();
            }
        }
    }

    @Test
    void aStreamedRestoreWhoseStoredBytesDoNotMatchTheManifestCommitsNothing() throws Exception {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            String target = PgCluster.uniqueName("zkept");
            restoreNew(s, m, target, 2);
            pg.execute(target, "DELETE FROM public.numbers WHERE id % 2 = 0");
            var before = pg.tableFingerprints(target);
            // the data decodes and restores perfectly; only its SHA-256, checked once the last stored byte
            // is read, differs from the manifest's: pg_restore must not get to commit
            Path manifest = stored(m).resolveSibling("manifest.json");
            Files.writeString(manifest, Files.readString(manifest).replace(m.sha256(), "0".repeat(64)));
            RestoreRequest clean =
                    confirmed(s, new RestoreRequest(m.id(), null, null, target, RestoreMode.CLEAN, null, null));

            assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> s.restore(clean, ctx)))
                    .hasMessageContaining("integrity check failed")
                    .hasMessageContaining("was left as it was");
            assertThat(pg.tableFingerprints(target)).as("the target as it was").isEqualTo(before);

            RestoreRequest replace =
                    confirmed(s, new RestoreRequest(m.id(), null, null, target, RestoreMode.REPLACE, null, 1));
            assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> s.restore(replace, ctx)))
                    .hasMessageContaining("integrity check failed");
            assertThat(pg.tableFingerprints(target)).as("the target as it was").isEqualTo(before);
            assertThat(pg.query(
                            "postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + target + "\\_\\_%'"))
                    .as("no shadow left beside it")
                    .isEmpty();

            String fresh = PgCluster.uniqueName("znever");
            assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> restoreNew(s, m, fresh, 1)))
                    .hasMessageContaining("integrity check failed")
                    .hasMessageContaining("was removed again");
            assertThat(pg.databaseExists(fresh)).isFalse();
        }
    }

    @Test
    void aRestoreThatSpoolsFirstSweepsTheSpoolAKilledRestoreLeft() throws Exception {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Path spool = Files.createDirectories(dir.resolve("state/spool"));
            Path left = Files.writeString(
                    spool.resolve("lifeboat-spool-" + gone.pid() + "-" + m.id() + "-4711.dump"), "PGDMP half");
            String target = PgCluster.uniqueName("zsweep");
            restoreNew(s, m, target, 2); // two jobs: pg_restore needs the spool file
            assertThat(left).as("swept before the new spool was written").doesNotExist();
            try (var files = Files.list(spool)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    @Test
    void sealedZstdDataThatIsNotAPgDumpArchiveIsRefusedBeforeTheTargetIsCreated() throws Exception {
        // the magic check runs on the first bytes of the one decompressing pass, not on a reopened spool
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            Path dump = stored(m);
            byte[] plain = "this is not a pg_dump archive\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
            try (var in = ZstdCompression.compressing(new java.io.ByteArrayInputStream(plain), 3)) {
                Tampering.replace(m, dump, in.readAllBytes());
            }
            assertThat(refusedIntoNew(s, m, ErrorCode.INTEGRITY_FAILED))
                    .hasMessageContaining("is not a pg_dump custom-format archive")
                    .hasMessageContaining("the target database was not touched");
            try (var spool = Files.list(dir.resolve("state/spool"))) {
                assertThat(spool.toList()).isEmpty();
            }
            // streamed from the store with one job: refused on the head it reads first, as the spool refuses it
            assertThat(refusedIntoNew(s, m, ErrorCode.INTEGRITY_FAILED, 1))
                    .hasMessageContaining("is not a pg_dump custom-format archive")
                    .hasMessageContaining("the target database was not touched");
        }
    }

    @Test
    void aCompressionThisVersionDoesNotKnowFailsVerificationAndIsNeverRestored() throws IOException {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            Path manifest = stored(m).resolveSibling("manifest.json");
            String json = Files.readString(manifest);
            assertThat(json).contains("\"compression\" : \"zstd\"");
            Files.writeString(manifest, json.replace("\"compression\" : \"zstd\"", "\"compression\" : \"lz4\""));

            VerificationReport report = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(report.passed()).isFalse();
            assertThat(onlyCheck(report, "archive-format").actual()).isEqualTo("lz4");
            assertThat(refusedIntoNew(s, m, ErrorCode.INTEGRITY_FAILED)).hasMessageContaining("compressed with 'lz4'");
        }
    }

    @Test
    void aCopyOfAZstdBackupStaysRestorable() throws IOException {
        try (BackupService s = zstd()) {
            Manifest m = backupOfApp(s);
            BackupCopier.CopyResult copy = s.copy(m.id(), "main", "copies", ctx);
            assertThat(copy.manifest().compression()).isEqualTo("zstd");
            String target = PgCluster.uniqueName("zcopy");
            s.restore(new RestoreRequest(m.id(), "copies", null, target, RestoreMode.CREATE, null, 2), ctx);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        }
    }

    @Test
    void aPipeWrittenDumpRestoresWithParallelJobsAndACleanRestoreRunsOneJob() throws IOException {
        SampleData.createBulk(pg, source, 2);
        try (BackupService s = open(db -> db.restoreJobs(3), st -> {})) {
            // the default gzip archive, written by pg_dump to a pipe: no data offsets in its table of contents
            Manifest m = backupOfApp(s);
            assertThat(m.compression()).isEqualTo("gzip");
            String two = PgCluster.uniqueName("jobs2");
            assertThat(restoreNew(s, m, two, 2).jobs()).isEqualTo(2);
            assertThat(pg.tableFingerprints(two)).isEqualTo(pg.tableFingerprints(source));
            String configured = PgCluster.uniqueName("jobs3");
            assertThat(restoreNew(s, m, configured, null).jobs()).isEqualTo(3);
            assertThat(pg.tableFingerprints(configured)).isEqualTo(pg.tableFingerprints(source));

            RestoreResult result = s.restore(
                    confirmed(s, new RestoreRequest(m.id(), null, null, two, RestoreMode.CLEAN, null, 4)), ctx);
            assertThat(result.jobs()).isEqualTo(1);
            assertThat(pg.tableFingerprints(two)).isEqualTo(pg.tableFingerprints(source));

            assertThat(refused(ErrorCode.INVALID_ARGUMENT, () -> restoreNew(s, m, PgCluster.uniqueName("jobs0"), 0)))
                    .hasMessageContaining("restore jobs");
        }
    }

    /** Runs {@code commands} as a pipeline that ends in pg_restore, which gets the password. */
    private void pipeline(List<List<String>> commands) throws Exception {
        InteropTools.pipeline(null, pg.clientEnv(), commands);
    }
}

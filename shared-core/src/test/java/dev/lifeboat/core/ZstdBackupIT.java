package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.manage.BackupCopier;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compression: zstd} through the whole service against a real PostgreSQL, with and without age
 * encryption; recovery by hand with the zstd and age CLIs; and parallel restores of pipe-written dumps.
 */
class ZstdBackupIT {
    private static PgCluster pg;

    @TempDir
    Path dir;

    private String source;
    private Path storeDir;
    private Path copyDir;
    private AgeIdentity key;
    private Path keyFile;
    private final OperationContext ctx = OperationContext.of("test", "tester");

    @BeforeAll
    static void cluster() {
        pg = PgCluster.shared();
    }

    @BeforeEach
    void setUp() {
        source = pg.createUniqueDatabase("zsrc");
        SampleData.create(pg, source, 300);
        storeDir = dir.resolve("store");
        copyDir = dir.resolve("copies");
        key = AgeIdentity.generate();
        keyFile = dir.resolve("backup.key");
        key.writeTo(keyFile);
    }

    /**
     * A service with one database {@code app} whose mapping gets {@code dbExtra} lines, a store
     * {@code main} with {@code storeExtra} lines, and a plain second store {@code copies}.
     */
    private BackupService open(String dbExtra, String storeExtra) throws IOException {
        Path f = dir.resolve("lifeboat-" + ThreadLocalRandom.current().nextInt(1 << 20) + ".yaml");
        Files.writeString(f, """
                databases:
                  app:
                    host: 127.0.0.1
                    port: %d
                    dbname: %s
                    user: %s
                    sslmode: disable
                    password_env: LB_TEST_PW
                    count_rows: exact
                %s
                stores:
                  main:
                    uri: %s
                %s
                  copies:
                    uri: %s
                defaults:
                  store: main
                state_dir: %s
                """.formatted(
                        pg.port(),
                        source,
                        PgCluster.SUPERUSER,
                        indent(dbExtra),
                        storeDir.toUri(),
                        indent(storeExtra),
                        copyDir.toUri(),
                        dir.resolve("state")));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = Map.of("HOME", dir.toString(), "LB_TEST_PW", pg.password());
        return BackupService.open(new ConfigLoader(env).load(f), env);
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "" : ("    " + lines.replace("\n", "\n    "));
    }

    private String encryption() {
        return "encryption:\n  recipients: [" + key.recipients().get(0) + "]\n  identity_file: " + keyFile;
    }

    private Path stored(Manifest m) {
        return storeDir.resolve("app/" + m.id() + "/dump");
    }

    private static String newName(String prefix) {
        return prefix + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private RestoreResult restoreNew(BackupService s, Manifest m, String target, Integer jobs) {
        return s.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null, jobs), ctx);
    }

    @Test
    void aZstdBackupRoundTripsVerifiesAndDrills() throws IOException {
        try (BackupService s = open("compression: zstd", "")) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.format()).isEqualTo("custom");
            try (var in = Files.newInputStream(stored(m))) {
                assertThat(ZstdCompression.hasMagic(in.readNBytes(4))).isTrue();
            }

            VerificationReport archive = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(archive.passed()).as("%s", archive.checks()).isTrue();
            assertThat(archive.checks())
                    .filteredOn(c -> c.name().equals("archive-format"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.actual()).isEqualTo("zstd"));

            String target = newName("zrest");
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
        try (BackupService s = open("compression: zstd\ncompression_level: 9", "compression: gzip")) {
            Manifest zstd = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
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
                String target = newName("zover");
                restoreNew(s, m, target, 2);
                assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            }
            assertThatThrownBy(() -> s.create(new CreateBackupRequest("app", null, null, null, "lz4"), ctx))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("lz4")
                    .hasMessageContaining("gzip, zstd, none")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void aZstdAndAgeBackupRoundTripsAndItsChecksumNeedsNoKey() throws IOException {
        try (BackupService s = open("", "compression: zstd\n" + encryption())) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.encryption().format()).isEqualTo("age");
            assertThat(new String(Files.readAllBytes(stored(m)), 0, 21, StandardCharsets.US_ASCII))
                    .isEqualTo("age-encryption.org/v1");

            assertThat(s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx).passed())
                    .isTrue();
            String target = newName("zage");
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
        try (BackupService s = open("compression: zstd", "")) {
            m = s.create(new CreateBackupRequest("app", null, null, null), ctx).manifest();
        }
        String target = pg.createDatabase(newName("zhand"));
        pipeline(List.of(List.of("zstd", "-d", "-c", stored(m).toString()), pgRestore(target)));
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void withoutLifeboatAgeZstdAndPgRestoreRecoverAnEncryptedZstdBackup() throws Exception {
        InteropTools.assumeInstalled("age", "age");
        InteropTools.assumeInstalled("zstd", "zstd");
        Manifest m;
        try (BackupService s = open("", "compression: zstd\n" + encryption())) {
            m = s.create(new CreateBackupRequest("app", null, null, null), ctx).manifest();
        }
        String target = pg.createDatabase(newName("zagehand"));
        pipeline(List.of(
                List.of("age", "-d", "-i", keyFile.toString(), stored(m).toString()),
                List.of("zstd", "-d", "-c"),
                pgRestore(target)));
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void damagedZstdDataIsAnIntegrityErrorAndTheTargetIsNeverCreated() throws Exception {
        try (BackupService s = open("compression: zstd", "")) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            Path dump = stored(m);
            // flip a byte in the middle of the compressed data
            try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x5a);
            }
            String target = newName("zbad");
            assertThatThrownBy(() -> restoreNew(s, m, target, null))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("integrity check failed")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INTEGRITY_FAILED);
            assertThat(pg.databaseExists(target)).isFalse();

            // the same damage behind a manifest re-sealed to it: the checksum passes, zstd's own does not
            reseal(m, dump);
            assertThatThrownBy(() -> restoreNew(s, m, target, null))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("zstd-compressed backup is damaged")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INTEGRITY_FAILED);
            assertThat(pg.databaseExists(target)).isFalse();
            // verify reports the damage as a failed check (pg_restore --list or the drill), not a crash
            VerificationReport report = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(report.passed()).isFalse();
            assertThat(report.checks())
                    .filteredOn(c -> !c.passed())
                    .extracting(VerificationReport.Check::name)
                    .containsAnyOf("archive-toc", "restore-drill");
        }
    }

    @Test
    void sealedZstdDataThatIsNotAPgDumpArchiveIsRefusedBeforeTheTargetIsCreated() throws Exception {
        // the magic check runs on the first bytes of the one decompressing pass, not on a reopened spool
        try (BackupService s = open("compression: zstd", "")) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            Path dump = stored(m);
            byte[] plain = "this is not a pg_dump archive\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
            try (var in = ZstdCompression.compressing(new java.io.ByteArrayInputStream(plain), 3)) {
                Files.write(dump, in.readAllBytes());
            }
            resealWithSize(m, dump);
            String target = newName("znotdump");
            assertThatThrownBy(() -> restoreNew(s, m, target, null))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("is not a pg_dump custom-format archive")
                    .hasMessageContaining("the target database was not touched")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INTEGRITY_FAILED);
            assertThat(pg.databaseExists(target)).isFalse();
            try (var spool = Files.list(dir.resolve("state/spool"))) {
                assertThat(spool.toList()).isEmpty();
            }
        }
    }

    @Test
    void aCompressionThisVersionDoesNotKnowFailsVerificationAndIsNeverRestored() throws IOException {
        try (BackupService s = open("compression: zstd", "")) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            Path manifest = stored(m).resolveSibling("manifest.json");
            String json = Files.readString(manifest);
            assertThat(json).contains("\"compression\" : \"zstd\"");
            Files.writeString(manifest, json.replace("\"compression\" : \"zstd\"", "\"compression\" : \"lz4\""));

            VerificationReport report = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(report.passed()).isFalse();
            assertThat(report.checks())
                    .filteredOn(c -> c.name().equals("archive-format"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.actual()).isEqualTo("lz4"));
            String target = newName("zlz4");
            assertThatThrownBy(() -> restoreNew(s, m, target, null))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("compressed with 'lz4'")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INTEGRITY_FAILED);
            assertThat(pg.databaseExists(target)).isFalse();
        }
    }

    @Test
    void aCopyOfAZstdBackupStaysRestorable() throws IOException {
        try (BackupService s = open("compression: zstd", "")) {
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            BackupCopier.CopyResult copy = s.copy(m.id(), "main", "copies", ctx);
            assertThat(copy.manifest().compression()).isEqualTo("zstd");
            String target = newName("zcopy");
            s.restore(new RestoreRequest(m.id(), "copies", null, target, RestoreMode.CREATE, null, 2), ctx);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        }
    }

    @Test
    void aPipeWrittenDumpRestoresWithParallelJobsAndACleanRestoreRunsOneJob() throws IOException {
        SampleData.createBulk(pg, source, 2);
        try (BackupService s = open("restore_jobs: 3", "")) {
            // the default gzip archive, written by pg_dump to a pipe: no data offsets in its table of contents
            Manifest m = s.create(new CreateBackupRequest("app", null, null, null), ctx)
                    .manifest();
            assertThat(m.compression()).isEqualTo("gzip");
            String two = newName("jobs2");
            assertThat(restoreNew(s, m, two, 2).jobs()).isEqualTo(2);
            assertThat(pg.tableFingerprints(two)).isEqualTo(pg.tableFingerprints(source));
            String configured = newName("jobs3");
            assertThat(restoreNew(s, m, configured, null).jobs()).isEqualTo(3);
            assertThat(pg.tableFingerprints(configured)).isEqualTo(pg.tableFingerprints(source));

            RestoreRequest clean = new RestoreRequest(m.id(), null, null, two, RestoreMode.CLEAN, null, 4);
            RestorePlan plan = s.planRestore(clean);
            RestoreResult result = s.restore(clean.withToken(plan.confirmation().token()), ctx);
            assertThat(result.jobs()).isEqualTo(1);
            assertThat(pg.tableFingerprints(two)).isEqualTo(pg.tableFingerprints(source));

            assertThatThrownBy(() -> restoreNew(s, m, newName("jobs0"), 0))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("restore jobs")
                    .extracting(e -> ((LifeboatException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    /** Rewrites the manifest's size and SHA-256 to match the data as it is now, as a forger would. */
    private static void reseal(Manifest m, Path dump) throws Exception {
        byte[] bytes = Files.readAllBytes(dump);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path manifest = dump.resolveSibling("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace(m.sha256(), sha));
    }

    /** Re-seals the manifest to the dump as it is now: its SHA-256 and its size. */
    private static void resealWithSize(Manifest m, Path dump) throws Exception {
        reseal(m, dump);
        Path manifest = dump.resolveSibling("manifest.json");
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("\"size_bytes\" : " + m.sizeBytes(), "\"size_bytes\" : " + Files.size(dump)));
    }

    private List<String> pgRestore(String target) {
        return List.of(
                pg.clientTool("pg_restore").toString(),
                "--no-owner",
                "--exit-on-error",
                "-h",
                pg.host(),
                "-p",
                Integer.toString(pg.port()),
                "-U",
                PgCluster.SUPERUSER,
                "-d",
                target);
    }

    /** Runs {@code commands} as a shell-less pipeline (stdout to the next stdin) and checks every exit code. */
    private static void pipeline(List<List<String>> commands) throws Exception {
        List<ProcessBuilder> builders = commands.stream()
                .map(c -> {
                    ProcessBuilder pb = new ProcessBuilder(c);
                    pb.environment().put("PGPASSWORD", pg.password());
                    return pb;
                })
                .toList();
        builders.get(builders.size() - 1).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builders.forEach(b -> b.redirectError(ProcessBuilder.Redirect.PIPE));
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", commands.get(i).get(0), err).isZero();
        }
    }
}

package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compression and excludes of directory backups through the whole service, with the real zstd, gzip,
 * tar and age command-line tools for recovery by hand: the default (zstd), per-directory and
 * per-store settings, a request and a set's compression reaching every member, damaged compressed
 * data refused with the target untouched, and excluded paths left out.
 */
class DirectoryCompressionIT extends OverSharedCluster {
    private Path uploads;
    private Path storeDir;

    @BeforeEach
    void setUp() throws IOException {
        uploads = SampleTree.create(dir.resolve("srv/uploads"), 200_000);
        // something that compresses, so a compressed archive is visibly smaller than the tar
        Files.writeString(uploads.resolve("access.log"), "GET /index.html 200\n".repeat(50_000));
        source = SampleData.database(pg, "dircomp", 10);
        live = LiveService.over(pg, dir)
                .database("api", source)
                .directory("uploads", uploads)
                .directory("plain", uploads, d -> d.compression("none"))
                .directory("trimmed", uploads, d -> d.excludes("logos/**", "*.key", "empty/"))
                .config(c -> c.set("app", "api", "uploads", "plain"))
                .store("local");
        storeDir = live.storeDir("local");
    }

    /** A service whose store {@code local} has the {@code store} settings. */
    private BackupService open(Consumer<ConfigBuilder.Store> store) {
        return live.open(c -> c.store("local", storeDir, store));
    }

    private Path data(Manifest m) {
        return storeDir.resolve(m.database() + "/" + m.id() + "/dump");
    }

    @Test
    void aDirectoryIsZstdByDefaultVerifiesRestoresAndIsRecoveredByHandWithZstdAndTar() throws Exception {
        Map<String, String> original = SampleTree.describe(uploads);
        try (BackupService s = live.open()) {
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.formatVersion()).isEqualTo(Manifest.FORMAT_V2);
            assertThat(head(data(m), 4)).isEqualTo(new byte[] {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD});
            assertThat(m.sizeBytes()).isLessThan(m.directory().fileBytes());
            for (VerifyLevel level : VerifyLevel.values()) {
                VerificationReport r = s.verify(m.id(), null, level, ctx);
                assertThat(r.passed()).as("%s: %s", level, r.checks()).isTrue();
            }
            assertThat(onlyCheck(s.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx), "archive-format")
                            .actual())
                    .isEqualTo("zstd");

            Path target = dir.resolve("restored");
            s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx);
            assertThat(SampleTree.describe(target)).isEqualTo(original);

            // everything above is Lifeboat's own; only recovery by hand needs the zstd CLI
            InteropTools.assumeInstalled("zstd", "zstd");
            Path byHand = Files.createDirectories(dir.resolve("by-hand"));
            InteropTools.pipeline(
                    data(m),
                    Map.of(),
                    List.of(List.of("zstd", "-d", "-c"), List.of("tar", "-x", "-C", byHand.toString())));
            assertThat(SampleTree.describe(byHand)).isEqualTo(original);
        }
    }

    @Test
    void anEncryptedZstdDirectoryIsRecoveredByHandWithAgeZstdAndTar() throws Exception {
        InteropTools.assumeInstalled("age", "age");
        InteropTools.assumeInstalled("zstd", "zstd");
        Map<String, String> original = SampleTree.describe(uploads);
        try (BackupService s = open(live.encrypted())) {
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            assertThat(m.compression()).isEqualTo("zstd");
            assertThat(m.encryption()).isNotNull();
            assertThat(s.verify(m.id(), null, VerifyLevel.RESTORE, ctx).passed())
                    .isTrue();
            Path byHand = Files.createDirectories(dir.resolve("by-hand"));
            InteropTools.pipeline(
                    data(m),
                    Map.of(),
                    List.of(
                            List.of("age", "-d", "-i", live.keyFile().toString()),
                            List.of("zstd", "-d", "-c"),
                            List.of("tar", "-x", "-C", byHand.toString())));
            assertThat(SampleTree.describe(byHand)).isEqualTo(original);
        }
    }

    @Test
    void directoryStoreAndRequestSettingsAreHonouredInThatOrderAndGzipIsAPlainTarGz() throws Exception {
        Map<String, String> original = SampleTree.describe(uploads);
        try (BackupService s = open(st -> st.compression("gzip").compressionLevel(1))) {
            // the store's gzip reaches a directory that names none; 'plain' keeps its own 'none'
            Manifest gz = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            assertThat(gz.compression()).isEqualTo("gzip");
            assertThat(head(data(gz), 2)).isEqualTo(new byte[] {(byte) 0x1f, (byte) 0x8b});
            Manifest plain = s.create(new CreateBackupRequest("plain", null, null, null), ctx)
                    .manifest();
            assertThat(plain.compression()).isEqualTo("none");
            assertThat(plain.formatVersion()).isEqualTo(Manifest.FORMAT_V2); // a directory all the same
            // a request beats both
            Manifest zst = s.create(new CreateBackupRequest("plain", null, null, null, "zstd"), ctx)
                    .manifest();
            assertThat(zst.compression()).isEqualTo("zstd");
            for (Manifest m : List.of(gz, plain, zst)) {
                for (VerifyLevel level : VerifyLevel.values()) {
                    VerificationReport r = s.verify(m.id(), null, level, ctx);
                    assertThat(r.passed())
                            .as("%s %s: %s", m.compression(), level, r.checks())
                            .isTrue();
                }
                Path target = dir.resolve("restored-" + m.compression());
                s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx);
                assertThat(SampleTree.describe(target)).isEqualTo(original);
            }
            Path byHand = Files.createDirectories(dir.resolve("by-hand"));
            InteropTools.pipeline(data(gz), Map.of(), List.of(List.of("tar", "-xz", "-C", byHand.toString())));
            assertThat(SampleTree.describe(byHand)).isEqualTo(original);
        }
    }

    @Test
    void excludedPathsStayOutOfTheArchiveAndTheManifestRecordsThePatterns() throws Exception {
        try (BackupService s = live.open()) {
            Manifest m = s.create(new CreateBackupRequest("trimmed", null, null, null), ctx)
                    .manifest();
            assertThat(m.directory().excludes()).containsExactly("logos/**", "*.key", "empty/");
            // logos/acme.svg, logos/2026 (not descended into), private.key, empty
            assertThat(m.directory().excluded()).isEqualTo(4);
            assertThat(Files.readString(data(m).resolveSibling("manifest.json")))
                    .contains("\"excludes\"", "\"logos/**\"");
            VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.passed()).as("%s", drill.checks()).isTrue();
            Path target = dir.resolve("restored");
            s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx);
            Map<String, String> expected = SampleTree.describe(uploads);
            expected.keySet().removeIf(k -> k.startsWith("logos/") || k.equals("private.key") || k.equals("empty"));
            assertThat(SampleTree.describe(target)).isEqualTo(expected);
            assertThat(target.resolve("logos")).isEmptyDirectory();
            // the link into the excluded tree is kept as a link, as tar --exclude would
            assertThat(Files.isSymbolicLink(target.resolve("current-logo"))).isTrue();
        }
    }

    @Test
    void aSetsCompressionReachesEveryMemberAndABadNameFailsTheRunUpFront() throws IOException {
        try (BackupService s = live.open()) {
            SetRunResult run = s.createSet("app", null, null, Map.of(), "zstd", ctx);
            assertThat(run.failed()).as("%s", run.members()).isZero();
            assertThat(run.members())
                    .extracting(m -> m.backup().manifest().compression())
                    .containsExactly("zstd", "zstd", "zstd");
            assertThat(run.members())
                    .extracting(m -> m.backup().manifest().formatVersion())
                    .containsOnly(Manifest.FORMAT_V2);
            SetRunResult none = s.createSet("app", null, null, Map.of(), "none", ctx);
            assertThat(none.members())
                    .extracting(m -> m.backup().manifest().compression())
                    .containsExactly("none", "none", "none");
            // the PostgreSQL member without a request: pg_dump's gzip, the oldest manifest format
            SetRunResult configured = s.createSet("app", null, null, Map.of(), ctx);
            assertThat(configured.members())
                    .extracting(m -> m.backup().manifest().compression())
                    .containsExactly("gzip", "zstd", "none");
            assertThat(configured.members().get(0).backup().manifest().formatVersion())
                    .isEqualTo(Manifest.FORMAT_VERSION);
            int before = s.list(ListBackupsQuery.all()).size();
            assertThatThrownBy(() -> s.createSet("app", null, null, Map.of(), "lz4", ctx))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("'lz4'");
                    });
            assertThat(s.list(ListBackupsQuery.all())).hasSize(before);
        }
    }

    @Test
    void aDamagedZstdDirectoryBackupIsAnIntegrityErrorAndTheTargetIsUntouched() throws Exception {
        try (BackupService s = live.open()) {
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            Path target = Files.createDirectories(dir.resolve("live"));
            Files.writeString(target.resolve("current.txt"), "current");
            Map<String, String> before = SampleTree.describe(target);
            Path data = data(m);
            Tampering.flipMiddleByte(data, 0x40);

            assertDirectoryRestoreRefusedAsDamaged(s, m, target, before, "SHA-256", "left as it was");
            assertThat(s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx).passed())
                    .isFalse();

            // a forger who also rewrote the manifest's checksum: zstd's own frame checksum still refuses it
            Tampering.reseal(m, data);
            assertThat(s.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx).passed())
                    .isTrue();
            assertDirectoryRestoreRefusedAsDamaged(s, m, target, before, "zstd");
            VerificationReport archive = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(archive.passed()).isFalse();
            assertThat(onlyCheck(archive, "archive-tar").detail()).contains("zstd");
            try (var walk = Files.walk(dir)) {
                assertThat(walk.filter(p -> p.getFileName().toString().contains(".lifeboat-")))
                        .isEmpty();
            }
        }
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }
}

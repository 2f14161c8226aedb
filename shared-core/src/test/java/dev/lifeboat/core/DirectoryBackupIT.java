package dev.lifeboat.core;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetListing;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.source.files.TarListing;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.SampleManifest;
import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Directories as a second source kind, through the whole service: round trips with age encryption,
 * attack archives planted in the store with a matching checksum, the confirmation flow for a
 * non-empty target, damage and cancellation leaving the target as it was, and sets of a database and
 * directories taken and listed together.
 */
class DirectoryBackupIT extends OverSharedCluster {
    private Path uploads;
    private Path storeDir;
    private AgeIdentity key;

    @BeforeEach
    void setUp() throws IOException {
        uploads = SampleTree.create(dir.resolve("srv/uploads"), 300_000);
        source = SampleData.database(pg, "dirs", 20);
        live = LiveService.over(pg, dir)
                .database("api", source)
                .directory("uploads", uploads)
                .directory("gone", dir.resolve("does-not-exist"))
                .config(c -> c.set("cvescan", "api", "uploads").set("broken", "uploads", "gone", "api"))
                .store("local");
        storeDir = live.storeDir("local");
        key = live.key();
    }

    /** A service over the configuration; an {@code encrypted} one's store encrypts to {@link #key}. */
    private BackupService open(boolean encrypted) {
        return encrypted ? live.open(c -> c.store("local", storeDir, live.encrypted())) : live.open();
    }

    @Test
    void anEncryptedDirectoryBackupVerifiesAtEveryLevelAndRestoresTheSameTree() throws IOException {
        Map<String, String> original = SampleTree.describe(uploads);
        try (BackupService s = open(true)) {
            BackupRecord r = s.create(new CreateBackupRequest("uploads", null, "logos", Map.of("app", "cvescan")), ctx);
            Manifest m = r.manifest();
            assertThat(m.kind()).isEqualTo("directory");
            assertThat(m.format()).isEqualTo("tar");
            assertThat(m.database()).isEqualTo("uploads");
            assertThat(m.tables()).isEmpty();
            assertThat(m.encryption().recipients()).containsExactlyElementsOf(key.recipients());
            assertThat(m.directory().files()).isEqualTo(5);
            assertThat(m.directory().symlinks()).isEqualTo(1);
            assertThat(m.directory().directories()).isEqualTo(4); // ./, logos, logos/2026, empty
            assertThat(m.directory().entries()).isEqualTo(10);
            assertThat(m.directory().path()).isEqualTo(uploads.toString());
            byte[] head = new byte[21];
            try (var in = Files.newInputStream(storeDir.resolve("uploads/" + m.id() + "/dump"))) {
                assertThat(in.readNBytes(head, 0, 21)).isEqualTo(21);
            }
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
            // the manifest is readable without Lifeboat's classes knowing the new fields (unknown are ignored)
            assertThat(Files.readString(storeDir.resolve("uploads/" + m.id() + "/manifest.json")))
                    .contains("\"kind\" : \"directory\"", "\"file_bytes\"");

            assertThat(s.list(new ListBackupsQuery("uploads", null, null, 0)))
                    .extracting(b -> b.manifest().id())
                    .containsExactly(m.id());
            assertThat(s.get(m.id(), null).manifest()).isEqualTo(m);
            for (VerifyLevel level : VerifyLevel.values()) {
                VerificationReport report = s.verify(m.id(), null, level, ctx);
                assertThat(report.passed()).as("%s: %s", level, report.checks()).isTrue();
            }
            VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.drill().tables())
                    .extracting(DrillRecord.TableResult::table)
                    .containsExactly("files", "directories", "symlinks", "file bytes");
            assertThat(drill.drill().scratchDropped()).isTrue();
            assertThat(Path.of(drill.drill().scratchDatabase())).doesNotExist();
            assertThat(s.drills("uploads", null)).hasSizeGreaterThanOrEqualTo(2);

            Path target = dir.resolve("restored/uploads");
            Files.createDirectories(target.getParent());
            DirectoryRestorePlan plan =
                    s.planDirectoryRestore(new DirectoryRestoreRequest(m.id(), null, target.toString(), null));
            assertThat(plan.destructive()).isFalse();
            assertThat(plan.confirmation()).isNull();
            DirectoryRestoreResult result =
                    s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx);
            assertThat(result.files()).isEqualTo(5);
            assertThat(result.replaced()).isFalse();
            assertThat(SampleTree.describe(target)).isEqualTo(original);
        }
    }

    @Test
    void aNonEmptyTargetNeedsATokenBoundToThatPathAndIsReplacedWhole() throws IOException {
        try (BackupService s = open(false)) {
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            Path target = Files.createDirectories(dir.resolve("live/uploads"));
            Files.writeString(target.resolve("newer.txt"), "written after the backup");
            Path other = Files.createDirectories(dir.resolve("live/other"));
            Files.writeString(other.resolve("keep.txt"), "keep");
            Map<String, String> before = SampleTree.describe(dir.resolve("live"));

            refused(
                    ErrorCode.CONFIRMATION_REQUIRED,
                    () -> s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx));
            DirectoryRestorePlan plan =
                    s.planDirectoryRestore(new DirectoryRestoreRequest(m.id(), null, target.toString(), null));
            assertThat(plan.destructive()).isTrue();
            assertThat(plan.targetEntries()).isEqualTo(1);
            assertThat(plan.summary()).contains("REPLACED", target.toString());
            String token = plan.confirmation().token();
            // a token for one directory does not open another
            refused(
                    ErrorCode.TOKEN_REJECTED,
                    () -> s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, other.toString(), token), ctx));
            assertThat(SampleTree.describe(dir.resolve("live"))).isEqualTo(before);

            DirectoryRestorePlan again =
                    s.planDirectoryRestore(new DirectoryRestoreRequest(m.id(), null, target.toString(), null));
            DirectoryRestoreResult done = s.restoreDirectory(
                    new DirectoryRestoreRequest(
                            m.id(),
                            null,
                            target.toString(),
                            again.confirmation().token()),
                    ctx);
            assertThat(done.replaced()).isTrue();
            assertThat(SampleTree.describe(target)).isEqualTo(SampleTree.describe(uploads));
            assertThat(target.resolve("newer.txt")).doesNotExist();
            assertThat(other.resolve("keep.txt")).hasContent("keep");
            // single use
            String used = again.confirmation().token();
            Files.writeString(target.resolve("again.txt"), "x");
            refused(
                    ErrorCode.TOKEN_REJECTED,
                    () -> s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target.toString(), used), ctx));
            assertThat(siblings()).isEmpty();
        }
    }

    @Test
    void aTargetReachedThroughASymbolicLinkIntoAStoreOrTheStateDirectoryIsRefusedAndNothingIsReplaced()
            throws IOException {
        try (BackupService s = open(false)) {
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            Files.createDirectories(dir.resolve("state"));
            Path alias = Files.createSymbolicLink(dir.resolve("alias"), storeDir);
            Path aliasOfAlias = Files.createSymbolicLink(dir.resolve("alias2"), alias);
            Path stateAlias = Files.createSymbolicLink(dir.resolve("state-alias"), dir.resolve("state"));
            Files.createDirectories(dir.resolve("elsewhere"));
            Map<String, String> storeBefore = SampleTree.describe(storeDir);
            List<String> attacks = List.of(
                    alias.resolve("uploads").toString(), // the store's own backups of 'uploads'
                    alias.resolve("fresh").toString(), // a new directory inside the store
                    aliasOfAlias.resolve("uploads").toString(), // a chain of links
                    dir.resolve("elsewhere/../alias/uploads").toString(), // '..' after a real directory
                    stateAlias.resolve("spool").toString()); // the state directory
            for (String target : attacks) {
                assertThatThrownBy(
                                () -> s.planDirectoryRestore(new DirectoryRestoreRequest(m.id(), null, target, null)))
                        .as(target)
                        .isInstanceOfSatisfying(LifeboatException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                            assertThat(e.getMessage()).contains("overlaps", "which is ");
                        });
                assertThatThrownBy(
                                () -> s.restoreDirectory(new DirectoryRestoreRequest(m.id(), null, target, null), ctx))
                        .as(target)
                        .isInstanceOfSatisfying(
                                LifeboatException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            }
            // the store root itself named by a link: the link at the last name is not followed at all
            assertThatThrownBy(() -> s.planDirectoryRestore(
                            new DirectoryRestoreRequest(m.id(), null, aliasOfAlias.toString(), null)))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.getMessage()).contains("symbolic link"));
            assertThat(SampleTree.describe(storeDir)).isEqualTo(storeBefore);
            assertThat(s.get(m.id(), null).manifest().sha256()).isEqualTo(m.sha256());

            // a link to an ordinary directory is fine, and the plan and the result name where it leads
            Path live = Files.createDirectories(dir.resolve("live"));
            Path liveLink = Files.createSymbolicLink(dir.resolve("live-link"), live);
            Path real = live.toRealPath().resolve("uploads");
            DirectoryRestorePlan plan = s.planDirectoryRestore(new DirectoryRestoreRequest(
                    m.id(), null, liveLink.resolve("uploads").toString(), null));
            assertThat(plan.targetDir()).isEqualTo(real.toString());
            assertThat(plan.summary()).contains(real.toString());
            DirectoryRestoreResult done = s.restoreDirectory(
                    new DirectoryRestoreRequest(
                            m.id(), null, liveLink.resolve("uploads").toString(), null),
                    ctx);
            assertThat(done.targetDir()).isEqualTo(real.toString());
            assertThat(SampleTree.describe(real)).isEqualTo(SampleTree.describe(uploads));
        }
    }

    @Test
    void attackArchivesPlantedInTheStoreWithMatchingChecksumsAreRefusedAndTheTargetIsUntouched() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "precious");
        List<byte[]> attacks = List.of(
                tar(file("./ok.txt", "fine"), file("../outside/secret.txt", "overwritten")),
                tar(file("/etc/lifeboat-evil", "x")),
                tar(symlink("./up", "../outside")),
                tar(dir("./real/"), symlink("./in", "real"), file("./in/x.txt", "x")),
                tar(symlink("./s", "."), symlink("./t", "s/.."), file("./t/outside/secret.txt", "overwritten")),
                tar(symlink("./esc", "../outside"), file("./esc/secret.txt", "overwritten")));
        try (BackupService s = open(false)) {
            Path target = Files.createDirectories(dir.resolve("victim"));
            Files.writeString(target.resolve("existing.txt"), "still here");
            for (byte[] attack : attacks) {
                Manifest m = plant(attack);
                Map<String, String> before = SampleTree.describe(dir.resolve("victim"));
                assertDirectoryRestoreRefusedAsDamaged(s, m, target, before, "refusing to restore");
                assertThat(outside.resolve("secret.txt")).hasContent("precious");
                assertThat(Files.exists(Path.of("/etc/lifeboat-evil"))).isFalse();
                // an empty or missing target is refused the same way
                Path fresh = dir.resolve("fresh-" + m.id());
                refused(
                        ErrorCode.INTEGRITY_FAILED,
                        () -> s.restoreDirectory(
                                new DirectoryRestoreRequest(m.id(), null, fresh.toString(), null), ctx));
                assertThat(fresh).doesNotExist();
                // verify --level restore runs the same extractor: a FAIL drill, not a crash
                VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
                assertThat(drill.passed()).as("%s", drill.checks()).isFalse();
                assertThat(drill.checks())
                        .filteredOn(c -> c.name().equals("archive-tar"))
                        .allMatch(VerificationReport.Check::passed);
                assertThat(drill.drill().error()).contains("refusing to restore");
            }
            assertThat(siblings()).isEmpty();
        }
    }

    @Test
    void aDamagedOrCancelledRestoreLeavesTheTargetAsItWas() throws IOException {
        Files.write(uploads.resolve("big.bin"), new byte[9 << 20]); // several progress reports
        try (BackupService s = open(true)) {
            // uncompressed, so the zeros stay 9 MiB in the store and the restore reads them in many pieces
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null, "none"), ctx)
                    .manifest();
            Path target = Files.createDirectories(dir.resolve("live"));
            Files.writeString(target.resolve("current.txt"), "current");
            Map<String, String> before = SampleTree.describe(target);

            CancelSignal cancel = new CancelSignal();
            OperationContext cancelling = new OperationContext(
                    "test",
                    "tester",
                    (done, total, message) -> {
                        if (done > 0) {
                            cancel.cancel();
                        }
                    },
                    cancel);
            String token = directoryRestoreToken(s, m, target);
            refused(
                    ErrorCode.CANCELLED,
                    () -> s.restoreDirectory(
                            new DirectoryRestoreRequest(m.id(), null, target.toString(), token), cancelling));
            assertThat(SampleTree.describe(target)).isEqualTo(before);

            // one flipped byte in the middle of the stored (encrypted) archive
            Tampering.flipMiddleByte(storeDir.resolve("uploads/" + m.id() + "/dump"), 0x01);
            assertDirectoryRestoreRefusedAsDamaged(s, m, target, before, "SHA-256", "left as it was");
            assertThat(s.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx).passed())
                    .isFalse();
            assertThat(siblings()).isEmpty();
        }
    }

    @Test
    void aDatabaseBackupIsNotRestoredIntoADirectoryNorADirectoryBackupIntoADatabase() throws IOException {
        try (BackupService s = open(false)) {
            Manifest dirBackup = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            assertThatThrownBy(() -> s.restore(
                            new RestoreRequest(dirBackup.id(), null, "api", "x_restored", RestoreMode.CREATE, null),
                            ctx))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.hint()).contains(dev.lifeboat.core.base.Remedy.TARGET_DIR.ref());
                    });
            assertThatThrownBy(() -> s.planDirectoryRestore(
                            new DirectoryRestoreRequest(dirBackup.id(), null, "relative/path", null)))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.getMessage()).contains("absolute"));
            assertThatThrownBy(() -> s.planDirectoryRestore(new DirectoryRestoreRequest(
                            dirBackup.id(), null, storeDir.resolve("uploads").toString(), null)))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.getMessage()).contains("overlaps"));
        }
    }

    @Test
    void aSetTakesItsDatabaseAndDirectoriesTogetherAndAFailedMemberDoesNotUndoTheOthers() throws IOException {
        try (BackupService s = open(false)) {
            SetRunResult run = s.createSet("cvescan", null, "release 7", Map.of(), ctx);
            assertThat(run.failed()).isZero();
            assertThat(run.members()).extracting(SetRunResult.Member::name).containsExactly("api", "uploads");
            assertThat(run.members()).extracting(SetRunResult.Member::kind).containsExactly("postgresql", "directory");
            for (SetRunResult.Member member : run.members()) {
                assertThat(member.backup().manifest().set()).isEqualTo(new Manifest.SetRun("cvescan", run.run()));
            }

            SetRunResult broken = s.createSet("broken", null, null, Map.of(), ctx);
            assertThat(broken.failed()).isEqualTo(1);
            SetRunResult.Member gone = broken.members().get(1);
            assertThat(gone.name()).isEqualTo("gone");
            assertThat(gone.error()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(gone.message()).contains("directories.gone.path", "does not exist");
            assertThat(broken.members().get(0).backup()).isNotNull();
            assertThat(broken.members().get(2).backup()).isNotNull();
            for (SetRunResult.Member member : broken.members()) {
                assertThat(String.valueOf(member.message())).doesNotContain(pg.password());
            }

            List<SetListing> runs = s.listSets("cvescan", null, null, 0);
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).run()).isEqualTo(run.run());
            assertThat(runs.get(0).backups())
                    .extracting(b -> b.manifest().database())
                    .containsExactly("api", "uploads");
            assertThat(runs.get(0).missing()).isEmpty();
            List<SetListing> brokenRuns = s.listSets("broken", null, null, 0);
            assertThat(brokenRuns.get(0).missing()).containsExactly("gone");
            assertThat(s.list(ListBackupsQuery.all())).hasSize(4);
            refused(ErrorCode.NOT_FOUND, () -> s.createSet("nope", null, null, Map.of(), ctx));
        }
    }

    @Test
    void directoryErrorsAndTheAuditLogNeverCarryTheDatabasePassword() throws IOException {
        try (BackupService s = open(false)) {
            assertThatThrownBy(() -> s.create(new CreateBackupRequest("gone", null, null, null), ctx))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.getMessage()).doesNotContain(pg.password());
                        assertThat(String.valueOf(e.hint())).doesNotContain(pg.password());
                    });
            Manifest m = s.create(new CreateBackupRequest("uploads", null, null, null), ctx)
                    .manifest();
            Path target = Files.createDirectories(dir.resolve("t"));
            Files.writeString(target.resolve("a"), "a");
            assertThatThrownBy(() -> s.restoreDirectory(
                            new DirectoryRestoreRequest(m.id(), null, target.toString(), "garbage"), ctx))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.getMessage()).doesNotContain(pg.password()));
            s.createSet("broken", null, null, Map.of(), ctx);
            assertThat(Files.readString(dir.resolve("state/audit.jsonl")))
                    .contains("\"uploads\"")
                    .doesNotContain(pg.password());
        }
    }

    /** Leftover staging or aside directories anywhere under the test directory. */
    private List<Path> siblings() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().contains(".lifeboat-"))
                    .toList();
        }
    }

    /** Writes {@code tar} into the store as a committed directory backup whose manifest matches it. */
    private Manifest plant(byte[] tar) throws IOException {
        // the manifest records exactly what the archive holds, so only the extractor stands in the way
        TarListing l = TarListing.read(new ByteArrayInputStream(tar));
        Instant now = Instant.now();
        return SampleManifest.of("uploads", now)
                .dumpTool("crafted")
                .compression("none")
                .finishedAt(now)
                .toolVersion("test")
                .directory(new Manifest.DirectoryContents(
                        "/crafted",
                        l.entries(),
                        l.files(),
                        l.directories(),
                        l.symlinks(),
                        l.fileBytes(),
                        0,
                        0,
                        List.of(),
                        0))
                .commit(new Catalog(new LocalBackupStore(storeDir)), tar);
    }

    private interface Entry {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static Entry file(String name, String content) {
        return out -> {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(b.length);
            out.putArchiveEntry(e);
            out.write(b);
            out.closeArchiveEntry();
        };
    }

    private static Entry dir(String name) {
        return out -> {
            out.putArchiveEntry(new TarArchiveEntry(name, true));
            out.closeArchiveEntry();
        };
    }

    private static Entry symlink(String name, String target) {
        return out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        };
    }

    private static byte[] tar(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                e.write(out);
            }
        }
        return bytes.toByteArray();
    }
}

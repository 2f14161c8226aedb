package dev.lifeboat.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.FakeDumpEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hash, then read: someone who can write a local store renames another file over a backup's archive
 * after Lifeboat hashed it and before pg_restore opens it. The action (pg_restore's stand-in) must
 * still read the bytes that were hashed. Real files in a real local store; the swap is a rename, as an
 * attacker with write access to the store's directory would do it.
 */
class VerifiedArchiveSwapTest {
    private static final OperationContext CALLER = OperationContext.of("test", "tester");
    private static final String UNTOUCHED = "nothing was touched";

    @TempDir
    Path dir;

    private Path otherFileSystem;

    @AfterEach
    void removeOtherFileSystemDir() throws IOException {
        if (otherFileSystem != null) {
            try (Stream<Path> s = Files.walk(otherFileSystem)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private record Setup(LifeboatContext ctx, BackupRecord rec, Path stored, byte[] original, Path stateDir) {}

    private Setup backupIn(Path stateDir) {
        FakeDumpEngine engine = new FakeDumpEngine().database("app", Map.of("accounts", 50));
        Map<String, String> env = Map.of("HOME", dir.toString());
        LifeboatConfig config = ConfigBuilder.in(dir.resolve("etc"))
                .database("app", d -> d.host("db.test").user("lifeboat"))
                .store("local", dir.resolve("store"))
                .defaultStore("local")
                .defaultDatabase("app")
                .stateDir(stateDir)
                .load(env);
        LifeboatContext ctx = new LifeboatContext(
                config, d -> engine, sc -> BackupStores.open(sc, env), new PasswordSources(env), Clock.systemUTC());
        BackupRecord rec = new BackupService(ctx).create(new CreateBackupRequest("app", null, null, Map.of()), CALLER);
        Path stored = ctx.catalog("local").localData(rec.manifest().backupId()).orElseThrow();
        try {
            return new Setup(ctx, rec, stored, Files.readAllBytes(stored), stateDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What an attacker with write access to the store's directory does: rename a forged archive over it. */
    private static void swap(Path stored) {
        try {
            byte[] forged = Files.readAllBytes(stored);
            forged[forged.length - 1] ^= 0x5a;
            Path tmp = Files.write(stored.resolveSibling("forged"), forged);
            Files.move(tmp, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readAfterSwap(Path stored, Path archive) {
        swap(stored);
        try {
            return Files.readAllBytes(archive);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aFileSwappedAfterTheInlineHashIsNotWhatTheRestoreReads() {
        Setup s = backupIn(dir.resolve("state"));
        byte[] read = new VerifiedArchive(s.ctx())
                .read(s.rec(), CALLER, UNTOUCHED, null, archive -> readAfterSwap(s.stored(), archive));
        assertThat(read).isEqualTo(s.original());
        assertThat(spool(s.stateDir())).as("the spool link is gone afterwards").isEmpty();
    }

    @Test
    void aFileSwappedAfterTheBackgroundHashIsNotWhatTheRestoreReads() {
        Setup s = backupIn(dir.resolve("state"));
        VerifiedArchive archives = new VerifiedArchive(s.ctx());
        try (BackgroundHash hash = archives.startHash(s.rec(), CALLER)) {
            assertThat(hash).isNotNull();
            byte[] read =
                    archives.read(s.rec(), CALLER, UNTOUCHED, hash, archive -> readAfterSwap(s.stored(), archive));
            assertThat(read).isEqualTo(s.original());
        }
        assertThat(spool(s.stateDir())).isEmpty();
    }

    @Test
    void aFileSwappedWhileReadAlongsideTheHashIsNotWhatTheRestoreReads() {
        Setup s = backupIn(dir.resolve("state"));
        VerifiedArchive archives = new VerifiedArchive(s.ctx());
        try (BackgroundHash hash = archives.startHash(s.rec(), CALLER)) {
            byte[] read = archives.readAlongsideHash(
                    s.rec(), CALLER, UNTOUCHED, hash, archive -> readAfterSwap(s.stored(), archive));
            assertThat(read).isEqualTo(s.original());
        }
    }

    /** A backup whose state directory (and spool) is on /dev/shm, a file system the store is not on; else the test is skipped. */
    private Setup backupOnAnotherFileSystem() throws IOException {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(dir)),
                "skipped: needs /dev/shm on a file system of its own, so that no hard link can be made");
        otherFileSystem = Files.createTempDirectory(shm, "lifeboat-state-");
        return backupIn(otherFileSystem.resolve("state"));
    }

    @Test
    void onAnotherFileSystemAStoreOthersMayWriteIsCopiedAndAPrivateOneReadInPlace() throws IOException {
        Setup s = backupOnAnotherFileSystem();

        // a store directory anyone may write: a swap there must not reach the restore, so it is copied
        Path backupDir = s.stored().getParent();
        Files.setPosixFilePermissions(backupDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        byte[] read = new VerifiedArchive(s.ctx()).read(s.rec(), CALLER, UNTOUCHED, null, archive -> {
            assertThat(archive).as("a copy in the spool").startsWith(s.stateDir());
            return readAfterSwap(s.stored(), archive);
        });
        assertThat(read).isEqualTo(s.original());
        assertThat(spool(s.stateDir())).isEmpty();
    }

    @Test
    void onAnotherFileSystemAPrivateStoreIsReadInPlace() throws IOException {
        Setup s = backupOnAnotherFileSystem();
        Path used = new VerifiedArchive(s.ctx()).read(s.rec(), CALLER, UNTOUCHED, null, archive -> archive);
        assertThat(used).as("nobody else can rename it: no copy").isEqualTo(s.stored());
    }

    private static List<Path> spool(Path stateDir) {
        Path spool = stateDir.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

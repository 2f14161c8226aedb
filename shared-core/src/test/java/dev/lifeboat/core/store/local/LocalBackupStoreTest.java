package dev.lifeboat.core.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackupStoreTest extends BackupStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BackupStore store() {
        return new LocalBackupStore(dir.resolve("store"));
    }

    @Test
    void objectsAreReadableByTheOwnerOnly() throws IOException {
        LocalBackupStore s = new LocalBackupStore(dir.resolve("store"));
        s.put("db/id/dump", bytes("secret data"), true);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store/db/id/dump"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store/db/id"))))
                .isEqualTo("rwx------");
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreNeverListed() throws IOException {
        LocalBackupStore s = new LocalBackupStore(dir.resolve("store"));
        Path d = Files.createDirectories(dir.resolve("store/db/id"));
        Files.writeString(d.resolve(LocalBackupStore.TEMP_PREFIX + "abc"), "half a dump");
        assertThat(s.list("")).isEmpty();
    }

    @Test
    void deletingTheLastObjectRemovesEmptyDirectoriesButNotTheRoot() {
        LocalBackupStore s = new LocalBackupStore(dir.resolve("store"));
        s.put("db/id/dump", bytes("x"), true);
        s.delete("db/id/dump");
        assertThat(dir.resolve("store/db")).doesNotExist();
        assertThat(dir.resolve("store")).isDirectory();
    }

    @Test
    void aWriteWhoseSourceFailsMidStreamLeavesNoFolderBehind() throws Exception {
        LocalBackupStore s = new LocalBackupStore(dir.resolve("store"));
        s.put("other/other-20260101T000000Z-abcd/dump", new java.io.ByteArrayInputStream(new byte[] {1}), true);
        java.io.InputStream cancelled = new java.io.InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("the dump was cancelled"); // pg_dump killed mid-stream
                }
                return 7;
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.put("app/app-20260101T000000Z-abcd/dump", cancelled, true))
                .isInstanceOf(dev.lifeboat.core.base.LifeboatException.class);
        assertThat(dir.resolve("store/app")).doesNotExist();
        assertThat(dir.resolve("store/other/other-20260101T000000Z-abcd/dump")).exists();
    }
}

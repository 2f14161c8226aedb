package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under state_dir, made for real: a 64 KiB tmpfs mounted at the state directory (the
 * tests run as root on our machines and in CI; elsewhere the test says why it cannot run). What
 * Lifeboat writes there (the restore spool, plans) fails as STATE_UNAVAILABLE naming the disk, not as
 * an unreadable backup or a bad configuration, and the target is not touched.
 */
class StateDiskFullIT {
    @TempDir
    Path dir;

    private Path mounted;

    private void mountSmallDisk(Path at) throws Exception {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", at.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(done, "cannot mount a small tmpfs here (needs root): " + out.trim());
        mounted = at;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullStateDiskIsSaidAsSuchAndTheTargetIsNotTouched() throws Exception {
        mountSmallDisk(dir.resolve("state"));
        try (ServiceOverFakes f =
                ServiceOverFakes.in(dir).database("app", Map.of("big", 20_000)).build()) {
            BackupRecord rec = f.backup("app");
            assertThat(rec.manifest().sizeBytes())
                    .as("the dump must not fit the state disk")
                    .isGreaterThan(64 * 1024);
            int callsBefore = f.engine().calls().size();

            // the memory store is not local: a restore spools the archive under state_dir first
            assertThatThrownBy(() -> f.service()
                            .restore(
                                    new RestoreRequest(
                                            rec.manifest().id(), null, null, "app_copy", RestoreMode.CREATE, null),
                                    ServiceOverFakes.CALLER))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE);
                        assertThat(e.getMessage())
                                .contains("spool", "No space left", "the target database was not touched");
                        assertThat(e.hint()).contains("free space");
                    });
            assertThat(f.engine()
                            .calls()
                            .subList(callsBefore, f.engine().calls().size()))
                    .noneMatch(c -> c.startsWith("createDatabase") || c.startsWith("restore"));
            assertThat(f.spoolFiles()).isEmpty();

            // a disk with no room at all: a plan cannot be stored, and says so
            fill(dir.resolve("state/filler"));
            assertThatThrownBy(() -> f.service().planDelete(rec.manifest().id(), null))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STATE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("No space left", "nothing was changed");
                    });
            assertThat(f.service().list(dev.lifeboat.core.manage.ListBackupsQuery.all()))
                    .extracting(r -> r.manifest().id())
                    .containsExactly(rec.manifest().id());
        }
    }

    private static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full: what the test wants
        }
    }
}

package dev.lifeboat.core.manage;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class BackupCopierTest {
    private static final OperationContext CONTEXT = new OperationContext("test", "tester", null, null);

    @TempDir
    Path dir;

    /** The store a backup is copied from, and the one it is copied to. */
    private BackupStore from;

    private BackupStore to;

    @BeforeEach
    void stores() {
        from = new LocalBackupStore(dir.resolve("a"));
        to = new LocalBackupStore(dir.resolve("b"));
    }

    private final BackupCopier copier = new BackupCopier();

    /** A committed backup of random bytes in {@code store}, as BackupService would leave it. */
    public static Manifest seed(BackupStore store, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        data[0] = 'P';
        data[1] = 'G';
        data[2] = 'D';
        data[3] = 'M';
        data[4] = 'P';
        Instant now = Instant.parse("2026-11-22T07:12:00Z");
        BackupId id = BackupId.generate("app", now);
        return SampleManifest.of(id)
                .server(new ServerInfo("localhost", 5432, "app", "app", "15.19", 15))
                .finishedAt(now.plusSeconds(3))
                .label("test")
                .tags(Map.of("env", "test"))
                .commit(new Catalog(store), data);
    }

    @Test
    void aCopyIsListedInBothStoresWithTheSameIdAndChecksum() {
        Manifest m = seed(from, 300_000, 1);
        BackupCopier.CopyResult r = copier.copy(m.backupId(), from, to, CONTEXT);
        assertThat(r.bytes()).isEqualTo(300_000);
        assertThat(r.alreadyPresent()).isFalse();
        assertThat(r.readBack()).isTrue();
        List<Manifest> listed = new Catalog(to).list(null);
        assertThat(listed).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(m.id());
            assertThat(c.sha256()).isEqualTo(m.sha256());
        });
        assertThat(new Catalog(from).list(null)).extracting(Manifest::id).containsExactly(m.id());
    }

    @Test
    void copyingAgainChangesNothing() {
        Manifest m = seed(from, 1000, 2);
        copier.copy(m.backupId(), from, to, CONTEXT);
        BackupCopier.CopyResult again = copier.copy(m.backupId(), from, to, CONTEXT);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(again.bytes()).isZero();
    }

    @Test
    void aDamagedSourceIsRefusedAndNothingLandsInTheTarget() throws IOException {
        Manifest m = seed(from, 200_000, 3);
        Path dump = from.localFile(Catalog.dumpKey(m.backupId())).orElseThrow();
        byte[] bytes = Files.readAllBytes(dump);
        bytes[100_000] ^= 0x01;
        Files.write(dump, bytes);
        LifeboatException e =
                refused(ErrorCode.INTEGRITY_FAILED, () -> copier.copy(m.backupId(), from, to, CONTEXT, false));
        assertThat(e.getMessage()).contains(m.id(), m.sha256(), "nothing was committed");
        assertThat(to.list("")).isEmpty();
    }

    @Test
    void aDifferentBackupUnderTheSameIdIsNotOverwritten() {
        Manifest m = seed(from, 1000, 4);
        Catalog target = new Catalog(to);
        target.putData(m.backupId(), new ByteArrayInputStream(new byte[] {1, 2, 3}));
        Manifest other = SampleManifest.like(m).stored(3, "00".repeat(32)).build();
        target.commit(other);
        refused(ErrorCode.ALREADY_EXISTS, () -> copier.copy(m.backupId(), from, to, CONTEXT));
        assertThat(target.find(m.backupId())).get().extracting(Manifest::sha256).isEqualTo("00".repeat(32));
    }

    @Test
    void intactDataLeftByAnInterruptedCopyIsCommittedAndDamagedDataIsReported() {
        Manifest m = seed(from, 5000, 5);
        Catalog target = new Catalog(to);
        try (var in = from.get(Catalog.dumpKey(m.backupId()))) {
            target.putData(m.backupId(), in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(copier.copy(m.backupId(), from, to, CONTEXT).alreadyPresent())
                .isFalse();
        assertThat(target.find(m.backupId())).isPresent();

        BackupStore third = new LocalBackupStore(dir.resolve("c"));
        new Catalog(third).putData(m.backupId(), new ByteArrayInputStream(new byte[] {9}));
        LifeboatException e = refused(ErrorCode.ALREADY_EXISTS, () -> copier.copy(m.backupId(), from, third, CONTEXT));
        assertThat(e.getMessage()).contains("incomplete copy");
        assertThat(new Catalog(third).list(null)).isEmpty();
    }

    @Test
    void aMissingSourceBackupIsNotFound() {
        BackupId id = BackupId.parse("app-20261122T071200Z-3f9a");
        refused(ErrorCode.NOT_FOUND, () -> copier.copy(id, from, to, CONTEXT));
    }
}

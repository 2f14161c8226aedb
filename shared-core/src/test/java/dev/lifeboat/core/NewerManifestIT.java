package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups written by a newer Lifeboat (a hand-written manifest with {@code format_version: 99}):
 * listed and shown with what can be read, never hidden, while verify, restore and copy refuse them
 * clearly before touching their data or any target; and the formats this version writes.
 */
class NewerManifestIT {
    @TempDir
    Path dir;

    private BackupService open() throws IOException {
        return LiveService.in(dir)
                .directory("uploads", SampleTree.create(dir.resolve("uploads"), 10_000), d -> d.compression("none"))
                .store("main")
                .store("copy")
                .config(c -> c.defaultStore("main"))
                .open();
    }

    /** Plants data and a manifest as a future Lifeboat might write them; returns the backup id. */
    private String plant(String name, String extraFields) throws Exception {
        Instant created = Instant.parse("2026-11-20T07:00:00Z");
        String id = BackupId.generate(name, created).value();
        byte[] data = "a future archive format".getBytes(StandardCharsets.US_ASCII);
        Path backup = Files.createDirectories(dir.resolve("main/" + name + "/" + id));
        Files.write(backup.resolve("dump"), data);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Files.writeString(
                backup.resolve("manifest.json"), """
                {
                  "format_version": 99,
                  "id": "%s",
                  "database": "%s",
                  "kind": "directory",
                  "compression": "zstd-dict",
                  "size_bytes": %d,
                  "sha256": "%s",
                  "created_at": "%s",
                  "tool_version": "9.1.0",
                  "label": "from the future"%s
                }
                """.formatted(id, name, data.length, sha, created, extraFields));
        return id;
    }

    @Test
    void aNewerBackupIsListedWithItsFormatButVerifyRestoreAndCopyRefuseIt() throws Exception {
        try (BackupService s = open()) {
            String readableShape = plant("uploads", "");
            // fields whose shape this version cannot map: still listed from the manifest's envelope
            String newShape = plant("uploads", ",\n  \"tables\": \"moved to tables.json\",\n  \"directory\": 7");
            Manifest ours = s.create(
                            new CreateBackupRequest("uploads", null, null, null), OperationContext.of("t", "t"))
                    .manifest();

            assertThat(s.list(ListBackupsQuery.all()))
                    .extracting(r -> r.manifest().id())
                    .contains(readableShape, newShape, ours.id());
            for (String id : new String[] {readableShape, newShape}) {
                Manifest m = s.get(id, null).manifest();
                assertThat(m.formatVersion()).isEqualTo(99);
                assertThat(m.readable()).isFalse();
                assertThat(m.label()).isEqualTo("from the future");
                assertThat(m.toolVersion()).isEqualTo("9.1.0");

                Map<String, String> before = SampleTree.describe(dir.resolve("main"));
                Path target = dir.resolve("restore-" + id);
                refusedAsNewer(id, () -> s.verify(id, null, VerifyLevel.CHECKSUM, OperationContext.of("t", "t")));
                refusedAsNewer(
                        id,
                        () -> s.planDirectoryRestore(new DirectoryRestoreRequest(id, null, target.toString(), null)));
                refusedAsNewer(
                        id,
                        () -> s.restoreDirectory(
                                new DirectoryRestoreRequest(id, null, target.toString(), null),
                                OperationContext.of("t", "t")));
                refusedAsNewer(
                        id, () -> s.planRestore(new RestoreRequest(id, null, null, "x", RestoreMode.CREATE, null)));
                refusedAsNewer(id, () -> s.copy(id, "main", "copy", OperationContext.of("t", "t")));
                assertThat(target).doesNotExist();
                assertThat(SampleTree.describe(dir.resolve("main")))
                        .isEqualTo(before); // the audit log records the refusals
                assertThat(dir.resolve("copy/uploads/" + id)).doesNotExist();
            }
            // what this version writes it reads: a directory backup is format 2
            assertThat(ours.formatVersion()).isEqualTo(Manifest.FORMAT_V2);
            assertThat(ours.readable()).isTrue();
            assertThat(s.verify(ours.id(), null, VerifyLevel.RESTORE, OperationContext.of("t", "t"))
                            .passed())
                    .isTrue();
        }
    }

    @Test
    void theFormatIsTheOldestThatReadsTheBackupCorrectly() {
        assertThat(Manifest.formatFor(Manifest.KIND_POSTGRESQL, "gzip")).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(Manifest.formatFor(Manifest.KIND_POSTGRESQL, "none")).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(Manifest.formatFor(Manifest.KIND_POSTGRESQL, "zstd")).isEqualTo(Manifest.FORMAT_V2);
        assertThat(Manifest.formatFor(Manifest.KIND_DIRECTORY, "none")).isEqualTo(Manifest.FORMAT_V2);
        assertThat(Manifest.FORMAT_VERSION).isEqualTo(1);
        assertThat(Manifest.NEWEST_FORMAT).isEqualTo(2);
    }

    private static void refusedAsNewer(String id, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOOL_VERSION);
            assertThat(e.getMessage())
                    .contains(
                            "backup " + id + " was written by a newer Lifeboat (manifest format 99",
                            "upgrade to read it");
            assertThat(e.hint()).contains("9.1.0");
        });
    }
}

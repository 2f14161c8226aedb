package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.audit.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditLog.Entry entry(String outcome) {
        return new AuditLog.Entry(
                Instant.parse("2026-12-05T00:00:00Z"),
                "cli",
                "tester",
                "backup",
                "app-20261205T000000Z-abcd",
                "app",
                "local",
                null,
                1L,
                outcome,
                null,
                null);
    }

    @Test
    void linesAreAppendedToAnOwnerOnlyFile() throws IOException {
        Path file = dir.resolve("state/audit.jsonl");
        AuditLog log = new AuditLog(file);
        log.write(entry("ok"));
        log.write(entry("error"));
        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aLinkPlantedAtTheLogsNameIsNotFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.conf"), "untouched\n");
        Files.createDirectories(dir.resolve("state"));
        Path file = Files.createSymbolicLink(dir.resolve("state/audit.jsonl"), victim);
        new AuditLog(file).write(entry("ok"));
        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(file)).isTrue();
    }
}

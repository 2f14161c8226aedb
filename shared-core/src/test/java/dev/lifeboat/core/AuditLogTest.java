package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.audit.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    void aLineIsTheJsonTheMapperWritesEvenForAwkwardText() throws IOException {
        Path file = dir.resolve("state/audit.jsonl");
        String awkward = "quote \" backslash \\ newline \n tab \t bell \u0007 \u00e9\u4e2d\ud83d\ude00 </script>";
        AuditLog.Entry e = entry(null)
                .started()
                .error(new dev.lifeboat.core.base.LifeboatException(
                        dev.lifeboat.core.base.ErrorCode.TOOL_FAILED, awkward, null));
        new AuditLog(file).write(e);
        String line = Files.readAllLines(file).get(0);
        String body = line.substring(0, line.lastIndexOf(",\"chain\":")) + "}";
        var parsed = dev.lifeboat.core.base.Json.mapper().readValue(body, java.util.LinkedHashMap.class);
        assertThat(body).isEqualTo(dev.lifeboat.core.base.Json.mapper().writeValueAsString(parsed));
        assertThat(parsed)
                .containsEntry("detail", awkward)
                .containsEntry("bytes", 1)
                .containsEntry("pid", (int) ProcessHandle.current().pid())
                .containsEntry("time", "2026-12-05T00:00:00Z");
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

    @Test
    void aRunStartedByAProcessThatIsGoneAndNeverFinishedIsUnfinished() throws Exception {
        Path file = dir.resolve("state/audit.jsonl");
        AuditLog log = new AuditLog(file);
        // a run of this process that finished, and one still going: neither is unfinished
        AuditLog.Entry done = entry(null).operation("restore:clean");
        log.write(done.started());
        log.write(done.ok(1L, null));
        AuditLog.Entry going =
                AuditLog.Entry.start(Instant.now(), dev.lifeboat.core.base.OperationContext.of("cli", "me"), "create");
        log.write(going.started());
        // a run of a process that was killed: its started line is all there is
        Process killed = new ProcessBuilder("true").start();
        killed.waitFor();
        Instant at = Instant.now().minusSeconds(5);
        Files.writeString(
                file,
                "{\"time\":\"" + at + "\",\"pid\":" + killed.pid()
                        + ",\"transport\":\"cli\",\"subject\":\"root\",\"operation\":\"restore:clean\","
                        + "\"backup_id\":\"app-20261205T000000Z-abcd\",\"target\":\"app\",\"outcome\":\"started\"}\n"
                        + "not json at all\n{\"torn\":",
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(log.unfinished()).singleElement().satisfies(u -> {
            assertThat(u.started().operation()).isEqualTo("restore:clean");
            assertThat(u.pid()).isEqualTo(killed.pid());
            assertThat(u.time()).isEqualTo(at);
            assertThat(u.started().target()).isEqualTo("app");
            assertThat(u.started().transport()).isEqualTo("cli");
            assertThat(u.started().outcome()).isEqualTo("started");
        });
        assertThat(Files.readAllLines(file).get(0))
                .contains("\"pid\":" + ProcessHandle.current().pid())
                .contains("\"outcome\":\"started\"");
    }

    @Test
    void anAbandonedRunIsClosedInItsOwnTimePidAndTransport() throws Exception {
        Path file = dir.resolve("state/audit.jsonl");
        AuditLog log = new AuditLog(file);
        Process killed = new ProcessBuilder("true").start();
        killed.waitFor();
        Instant at = Instant.now().minusSeconds(5);
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                "{\"time\":\"" + at + "\",\"pid\":" + killed.pid()
                        + ",\"transport\":\"mcp-http\",\"subject\":\"agent\",\"operation\":\"create\","
                        + "\"database\":\"app\",\"store\":\"local\",\"outcome\":\"started\"}\n");
        AuditLog.Unfinished run = log.unfinished().get(0);

        log.abandoned(run, dev.lifeboat.core.base.OperationContext.of("cli", "root"), "process gone");

        assertThat(log.unfinished()).isEmpty();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(lines.size() - 1))
                .contains("\"time\":\"" + at + "\"", "\"pid\":" + killed.pid(), "\"transport\":\"mcp-http\"")
                .contains("\"subject\":\"agent\"", "\"operation\":\"create\"", "\"database\":\"app\"")
                .contains("\"outcome\":\"abandoned\"", "process gone (found by root over cli)");
        assertThat(log.verify().firstBroken()).isZero();
    }

    @Test
    void aMissingLogHasNoUnfinishedRuns() {
        assertThat(new AuditLog(dir.resolve("none.jsonl")).unfinished()).isEmpty();
    }
}

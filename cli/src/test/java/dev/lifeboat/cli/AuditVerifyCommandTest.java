package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code lifeboat audit verify} over a real audit log, before and after someone edits it. */
class AuditVerifyCommandTest {
    @TempDir
    Path home;

    private Path config() {
        return ConfigBuilder.in(home)
                .database("app", db -> db.host("db.example").user("backup"))
                .store("local", home.resolve("store"))
                .stateDir(home.resolve("state"))
                .write();
    }

    private CliRun.Result run(String... args) {
        return CliRun.run(Map.of("HOME", home.toString()), args);
    }

    private Path auditWith(int lines) {
        Path file = home.resolve("state/audit.jsonl");
        AuditLog log = new AuditLog(file);
        for (int i = 0; i < lines; i++) {
            log.write(new AuditLog.Entry(
                    Instant.parse("2026-12-05T00:00:00Z"),
                    "cli",
                    "root",
                    "delete",
                    "app-20261205T00000" + i + "Z-abcd",
                    "app",
                    "local",
                    null,
                    null,
                    "ok",
                    null,
                    null));
        }
        return file;
    }

    @Test
    void anUntouchedLogIsIntactAndItsHeadIsPrinted() {
        Path config = config();
        auditWith(3);
        CliRun.Result r = run("audit", "verify", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("intact, 3 lines").containsPattern("head: [0-9a-f]{64}");
    }

    @Test
    void aDeletedLineIsReportedWithItsNumberAndExit6() throws Exception {
        Path config = config();
        Path file = auditWith(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1); // the evidence of one delete, gone
        Files.write(file, lines);

        CliRun.Result r = run("audit", "verify", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.INTEGRITY_FAILED);
        assertThat(r.out()).contains("BROKEN", "line 2");
        CliRun.Result json = run("audit", "verify", "--json", "--config", config.toString());
        JsonNode report = Json.mapper().readTree(json.out());
        assertThat(report.get("first_broken").asInt()).isEqualTo(2);
        assertThat(report.get("problem").asString()).contains("line 2");
    }

    @Test
    void aLogNotWrittenYetIsSaidToBeEmpty() {
        CliRun.Result r = run("audit", "verify", "--config", config().toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("empty or not written yet");
    }
}

package dev.lifeboat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's hash chain, against a real file edited the ways someone covering their tracks would. */
class AuditChainTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state/audit.jsonl");
    }

    private AuditLog logWith(int lines) {
        AuditLog log = new AuditLog(file());
        for (int i = 0; i < lines; i++) {
            log.write(entry("delete", "app-20261205T00000" + i + "Z-abcd"));
        }
        return log;
    }

    /** Changes the log's lines as anyone who may write the file (but not read the key) could. */
    private void edit(Consumer<List<String>> change) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        change.accept(lines);
        Files.write(file(), lines);
    }

    /** What {@code verify} reports of a log of {@code lines} entries once {@code change} edited it. */
    private AuditReport verifiedAfter(int lines, Consumer<List<String>> change) throws IOException {
        AuditLog log = logWith(lines);
        edit(change);
        return log.verify();
    }

    private static AuditLog.Entry entry(String operation, String backupId) {
        return new AuditLog.Entry(
                Instant.parse("2026-12-05T00:00:00Z"),
                "cli",
                "tester",
                operation,
                backupId,
                "app",
                "local",
                null,
                1L,
                "ok",
                null,
                "a detail with \"quotes\" and ,\"chain\":\"0000\"} in it");
    }

    @Test
    void anUntouchedLogIsIntactAndEveryLineCarriesItsChain() throws Exception {
        AuditLog log = logWith(5);
        AuditReport r = log.verify();
        assertThat(r.intact()).as(r.problem()).isTrue();
        assertThat(r.lines()).isEqualTo(5);
        assertThat(r.head()).hasSize(64);
        assertThat(Files.readAllLines(file())).allMatch(l -> l.matches("\\{.*,\"chain\":\"[0-9a-f]{64}\"}"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state/audit.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aChangedByteIsReportedAtItsLine() throws Exception {
        AuditReport r = verifiedAfter(
                5, lines -> lines.set(2, lines.get(2).replace("\"outcome\":\"ok\"", "\"outcome\":\"ko\"")));
        assertThat(r.firstBroken()).isEqualTo(3);
        assertThat(r.problem()).contains("line 3");
    }

    @Test
    void aDeletedLineIsReportedAtTheLineThatFollowedIt() throws Exception {
        assertThat(verifiedAfter(5, lines -> lines.remove(1)).firstBroken()).isEqualTo(2);
    }

    @Test
    void anInsertedLineIsReportedWhetherItCopiesAChainOrHasNone() throws Exception {
        AuditLog log = logWith(4);
        List<String> written = Files.readAllLines(file());
        edit(lines -> lines.add(2, written.get(0))); // a real line, replayed
        assertThat(log.verify().firstBroken()).isEqualTo(3);

        Files.write(file(), written);
        edit(lines -> lines.add(2, "{\"time\":\"2026-12-05T00:00:00Z\",\"operation\":\"delete\",\"outcome\":\"ok\"}"));
        AuditReport r = log.verify();
        assertThat(r.firstBroken()).isEqualTo(3);
        assertThat(r.problem()).contains("no chain");
    }

    @Test
    void swappedLinesAreReported() throws Exception {
        assertThat(verifiedAfter(4, lines -> Collections.swap(lines, 1, 2)).firstBroken())
                .isEqualTo(2);
    }

    @Test
    void linesFromBeforeTheChainAreALegacyPrefixThatTheFirstChainedLineSeals() throws Exception {
        Files.createDirectories(file().getParent());
        String legacy = "{\"time\":\"2026-11-01T00:00:00Z\",\"operation\":\"backup\",\"outcome\":\"ok\"}\n"
                + "{\"time\":\"2026-11-02T00:00:00Z\",\"operation\":\"delete\",\"outcome\":\"ok\"}\n";
        Files.writeString(file(), legacy);
        AuditLog log = logWith(2);
        AuditReport r = log.verify();
        assertThat(r.intact()).as(r.problem()).isTrue();
        assertThat(r.legacyLines()).isEqualTo(2);
        assertThat(r.lines()).isEqualTo(4);

        // rewriting history before the chain began is found at the first chained line
        String text = Files.readString(file());
        Files.writeString(file(), text.replace("2026-11-02", "2026-11-03"));
        assertThat(log.verify().firstBroken()).isEqualTo(3);
    }

    @Test
    void aTornLastLineIsReportedAndTheNextLineStillChains() throws Exception {
        AuditLog log = logWith(2);
        Files.writeString(
                file(),
                "{\"time\":\"2026-12-05T00:00:00Z\",\"oper",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        log.write(entry("delete", "app-20261205T000009Z-abcd"));
        List<String> lines = Files.readAllLines(file());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).contains("app-20261205T000009Z-abcd");
        AuditReport r = log.verify();
        assertThat(r.firstBroken()).as("the torn line is what breaks it").isEqualTo(3);
    }

    @Test
    void aLogEditedWithoutTheKeyCannotBeResealed() throws Exception {
        AuditLog log = logWith(3);
        // someone who can write the log but not read the key: a fresh key does not match the old chain
        Files.delete(dir.resolve("state/audit.key"));
        AuditReport missing = log.verify();
        assertThat(missing.intact()).isFalse();
        assertThat(missing.problem()).contains("audit.key");
        log.write(entry("delete", "app-20261205T000008Z-abcd")); // makes a new key
        assertThat(log.verify().firstBroken()).isEqualTo(1);
    }

    @Test
    void concurrentWritersStillFormOneChain() throws Exception {
        AuditLog log = new AuditLog(file());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 200; i++) {
            int n = i;
            pool.submit(() ->
                    new AuditLog(file()).write(entry("verify", "app-20261205T000000Z-" + String.format("%04x", n))));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        AuditReport r = log.verify();
        assertThat(r.intact()).as(r.problem()).isTrue();
        assertThat(r.lines()).isEqualTo(200);
    }

    @Test
    void theReadersStillReadChainedLines() throws Exception {
        AuditLog log = new AuditLog(file());
        log.write(entry("restore:clean", "app-20261205T000000Z-abcd").started());
        List<AuditLog.Finished> finished = new ArrayList<>();
        logWith(1).finished(finished::add);
        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).outcome()).isEqualTo("ok");
    }
}

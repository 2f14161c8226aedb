package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassfilesTest {
    @TempDir
    Path dir;

    @Test
    void theDirectoryIsCreatedOwnerOnlyAndEachPassfileIs0600AndNamedAfterItsWriter() throws IOException {
        Path run = dir.resolve("state/run");
        Passfiles passfiles = new Passfiles(run);
        Path file = passfiles.write("pw");
        assertThat(file.getParent()).isEqualTo(run);
        assertThat(mode(run)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(file.getFileName().toString())
                .matches("lifeboat-pgpass-" + ProcessHandle.current().pid() + "-\\d+\\.tmp");
        passfiles.delete(file);
        assertThat(file).doesNotExist();
        passfiles.delete(file); // twice is fine: the child's end and the JVM's exit may both try
    }

    @Test
    void aSymbolicLinkPlantedAsTheDirectoryIsRefused() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path run = Files.createSymbolicLink(dir.resolve("run"), elsewhere);
        assertThatThrownBy(() -> new Passfiles(run).write("pw"))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("symbolic link")
                .hasMessageNotContaining("pw");
        assertThat(list(elsewhere)).isEmpty();
    }

    @Test
    void aSweepRemovesOnlyPassfilesWhoseWriterIsGone() throws Exception {
        Passfiles passfiles = new Passfiles(dir);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        Instant now = Instant.now();
        try {
            long live = sleeper.pid();
            Path mine = passfiles.write("pw");
            Path deadWriters = planted("lifeboat-pgpass-" + deadPid() + "-1.tmp", now);
            // a process that started after the file was written cannot have written it: its pid was reused
            Path reusedPid = planted("lifeboat-pgpass-" + live + "-2.tmp", now.minus(Duration.ofHours(1)));
            Path ourPidBeforeWeStarted = planted(
                    "lifeboat-pgpass-" + ProcessHandle.current().pid() + "-3.tmp", now.minus(Duration.ofHours(2)));
            Path liveWriters = planted("lifeboat-pgpass-" + live + "-4.tmp", now);
            // an older release named them without a pid: only their age tells
            Path oldWithoutPid = planted("lifeboat-pgpass-1234567.tmp", now.minus(Duration.ofHours(25)));
            Path freshWithoutPid = planted("lifeboat-pgpass-7654321.tmp", now);
            Path unrelated = planted("notes.tmp", now.minus(Duration.ofDays(3)));
            Path notOurName = planted("lifeboat-pgpass-x.tmp", now.minus(Duration.ofDays(3)));

            assertThat(passfiles.sweep()).isEqualTo(4);

            assertThat(deadWriters).doesNotExist();
            assertThat(reusedPid).doesNotExist();
            assertThat(ourPidBeforeWeStarted).doesNotExist();
            assertThat(oldWithoutPid).doesNotExist();
            assertThat(mine).exists();
            assertThat(liveWriters).exists();
            assertThat(freshWithoutPid).exists();
            assertThat(unrelated).exists();
            assertThat(notOurName).exists();
            passfiles.delete(mine);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDayOldPassfileIsStaleUnlessThisProcessWroteIt() {
        Instant now = Instant.now();
        Instant dayOld = now.minus(Passfiles.MAX_AGE).minusSeconds(60);
        assertThat(Passfiles.isStale(null, dayOld, now)).isTrue();
        assertThat(Passfiles.isStale(null, now.minusSeconds(60), now)).isFalse();
        // this JVM started after a day-old file: whoever wrote it had our pid before us
        assertThat(Passfiles.isStale(ProcessHandle.current().pid(), dayOld, now))
                .isTrue();
        assertThat(Passfiles.isStale(ProcessHandle.current().pid(), now, now)).isFalse();
    }

    @Test
    void theFirstPassfileWrittenSweepsWhatKilledProcessesLeftAndAnEngineAloneChangesNothing() throws Exception {
        Path stale = planted("lifeboat-pgpass-" + deadPid() + "-1.tmp", Instant.now());
        // an engine that only asks questions (gc's) leaves the directory as it is, for gc to list
        new PgDumpEngine(null, Map.of(), dir).close();
        assertThat(stale).exists();
        Passfiles passfiles = new Passfiles(dir);
        Path mine = passfiles.write("pw");
        assertThat(stale).doesNotExist();
        passfiles.delete(mine);
        // and a missing directory is no reason to fail: it is made when a passfile is first needed
        new PgDumpEngine(null, Map.of(), dir.resolve("not-yet")).close();
        assertThat(dir.resolve("not-yet")).doesNotExist();
    }

    @Test
    void aJvmThatIsTerminatedDeletesItsPassfilesAndOneThatIsKilledLeavesThemForTheNextWriter() throws Exception {
        Path terminated = writeInAnotherJvm(dir.resolve("terminated"), false);
        assertThat(terminated).doesNotExist(); // the shutdown hook ran on SIGTERM

        Path killed = writeInAnotherJvm(dir.resolve("killed"), true);
        assertThat(killed).exists(); // SIGKILL: nothing in the JVM ran
        Passfiles next = new Passfiles(killed.getParent());
        next.delete(next.write("pw"));
        assertThat(killed).doesNotExist();
    }

    /** Starts a JVM that writes a passfile and waits; ends it with SIGTERM or SIGKILL; returns the file. */
    private static Path writeInAnotherJvm(Path in, boolean kill) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-Xshare:auto",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Writer.class.getName(),
                        in.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String line;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                do {
                    line = out.readLine();
                    assertThat(line).as("the writer JVM's output").isNotNull();
                } while (!line.startsWith(in.toString()));
                Path file = Path.of(line);
                assertThat(file).exists();
                if (kill) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isEqualTo(kill ? 128 + 9 : 128 + 15);
                return file;
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** The other JVM: writes a passfile, prints its path, waits to be ended. */
    static final class Writer {
        public static void main(String[] args) throws InterruptedException {
            Path file = new Passfiles(Path.of(args[0])).write("pw");
            System.out.println(file);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    private Path planted(String name, Instant modified) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "*:*:*:*:old\n");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    /** The pid of a process that has just ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        return pid;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }
}

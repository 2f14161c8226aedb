package dev.lifeboat.core.engine.postgres;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.DumpProgress;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.ChildProcesses;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.PgClusterExtension;
import dev.lifeboat.core.testing.SampleData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PgClusterExtension.class)
class PgDumpEngineIT {
    private static String source;
    private static String bulk;

    private final PgCluster pg;
    private final PgDumpEngine engine;

    @TempDir
    Path dir;

    private final Path passfiles;

    PgDumpEngineIT(PgCluster pg, @TempDir Path passfiles) {
        this.pg = pg;
        this.passfiles = passfiles;
        this.engine = new PgDumpEngine(null, System.getenv(), passfiles);
    }

    @BeforeAll
    static void data(PgCluster pg) {
        source = SampleData.database(pg, "source", 200);
        bulk = SampleData.bulkDatabase(pg, "bulk", 4);
    }

    @AfterEach
    void noTemporaryPassfileIsLeft() throws IOException {
        try (var files = Files.list(passfiles)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aClientThatHasJustDisconnectedIsNotListedAsASession() throws Exception {
        ConnectionSpec spec = pg.connectionSpec(source);
        assertThat(engine.databases().sessions(spec)).isEmpty();
        // closed, but its server process may not have left pg_stat_activity when the next query runs
        for (int i = 0; i < 20; i++) {
            try (Connection gone = pg.connect(source)) {
                gone.createStatement().execute("SELECT 1");
            }
            assertThat(engine.databases().sessions(spec))
                    .as("sessions after disconnect " + i)
                    .isEmpty();
        }
        try (Connection app = pg.connect(source)) {
            app.createStatement().execute("SET application_name = 'shop-app'");
            assertThat(engine.databases().sessions(spec))
                    .singleElement()
                    .satisfies(s -> assertThat(s.application()).isEqualTo("shop-app"));
        }
    }

    @Test
    void dumpThenRestoreIntoANewDatabaseReproducesEveryTable() throws IOException {
        Path archive = dumpToFile(pg.connectionSpec(source), DumpOptions.defaults(), d -> {
            assertThat(d.toolVersion()).startsWith("pg_dump (PostgreSQL) " + pg.clientMajorVersion() + ".");
            assertThat(d.compression()).isEqualTo("gzip");
            assertThat(d.exactRowCounts()).isFalse();
            assertThat(d.tables()).extracting(TableSummary::qualifiedName).containsExactlyElementsOf(SampleData.TABLES);
            // the sample data was analyzed, so the estimates are the counts
            assertThat(d.tables()).allSatisfy(t -> assertThat(t.rows()).isEqualTo(200));
        });

        ConnectionSpec target = pg.connectionSpec(source + "_copy");
        engine.createDatabase(target);
        engine.restore(archive, target, new RestoreOptions(false, 1));

        assertThat(pg.tableFingerprints(target.dbname())).isEqualTo(pg.tableFingerprints(source));
        assertThat(pg.tableFingerprints(source)).hasSize(SampleData.TABLES.size());
    }

    @Test
    void parallelRestoreFromAnUncompressedDumpReproducesEveryTable() throws IOException {
        Path archive = dumpToFile(
                pg.connectionSpec(source),
                new DumpOptions(false, 0),
                d -> assertThat(d.compression()).isEqualTo("none"));
        ConnectionSpec target = pg.connectionSpec(source + "_parallel");
        engine.createDatabase(target);
        engine.restore(archive, target, new RestoreOptions(false, 2));
        assertThat(pg.tableFingerprints(target.dbname())).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void progressFollowsEachTableInTheDatabasesOwnSizes() throws IOException {
        long[] sized = {-1, -1};
        List<String> tables = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        DumpProgress progress = new DumpProgress() {
            @Override
            public void sized(long totalBytes, int count) {
                sized[0] = totalBytes;
                sized[1] = count;
            }

            @Override
            public void tableStarted(String table, long doneBytes, long totalBytes, int index, int count) {
                tables.add(table);
                done.add(doneBytes);
                assertThat(totalBytes).isEqualTo(sized[0]);
                assertThat(index).isEqualTo(tables.size());
                assertThat(count).isEqualTo(SampleData.TABLES.size());
            }
        };
        Path archive =
                dumpToFile(pg.connectionSpec(source), DumpOptions.defaults().withProgress(progress), d -> {});
        assertThat(sized[0]).as("the tables' sizes").isPositive();
        assertThat(sized[1]).isEqualTo(SampleData.TABLES.size());
        assertThat(tables).containsExactlyInAnyOrderElementsOf(SampleData.TABLES);
        assertThat(done).isSorted().allSatisfy(d -> assertThat(d).isBetween(0L, sized[0] - 1));
        // pg_dump --verbose changes nothing in what it writes
        assertThat(engine.listArchive(Files.newInputStream(archive))).isNotEmpty();
    }

    @Test
    void aFailingDumpWithProgressStillSaysWhatFailedAndNothingElse() {
        DumpProgress progress = (table, doneBytes, totalBytes, index, count) -> {};
        String locked = pg.createUniqueDatabase("locked");
        String reader = "no_reader_" + locked;
        pg.execute(
                locked,
                "CREATE TABLE public.t (id int); CREATE ROLE " + reader + " LOGIN PASSWORD 'reader-pw';"
                        + " GRANT CONNECT ON DATABASE " + locked + " TO " + reader);
        ConnectionSpec su = pg.connectionSpec(locked);
        ConnectionSpec asReader =
                new ConnectionSpec(su.host(), su.port(), locked, reader, "disable", Secret.of("reader-pw"), null);
        assertThatThrownBy(() -> {
                    try (Dump dump =
                            engine.startDump(asReader, DumpOptions.defaults().withProgress(progress))) {
                        dump.data().transferTo(OutputStream.nullOutputStream());
                        dump.finish();
                    }
                })
                .isInstanceOfSatisfying(
                        LifeboatException.class,
                        e -> assertThat(e.getMessage())
                                .contains("permission denied")
                                .doesNotContain("reading extensions")
                                .doesNotContain("last built-in OID"));
    }

    @Test
    void exactRowCountsAreTakenInTheDumpsSnapshot() throws IOException {
        String db = SampleData.database(pg, "exact", 50);
        pg.execute(db, "INSERT INTO public.numbers SELECT g FROM generate_series(1000, 1009) g"); // not analyzed
        Path archive = dir.resolve("exact.dump");
        Dump.Result result;
        try (Dump dump = engine.startDump(pg.connectionSpec(db), new DumpOptions(true, -1));
                OutputStream out = Files.newOutputStream(archive)) {
            // committed after the snapshot was exported: neither the dump nor the counts may see it
            pg.execute(db, "INSERT INTO public.numbers SELECT g FROM generate_series(2000, 2999) g");
            pg.execute(db, "DELETE FROM ledger.entries");
            dump.data().transferTo(out);
            result = dump.finish();
        }
        assertThat(result.exactRowCounts()).isTrue();
        Map<String, Long> counted =
                result.tables().stream().collect(Collectors.toMap(TableSummary::qualifiedName, TableSummary::rows));
        assertThat(counted).containsEntry("public.numbers", 60L).containsEntry("ledger.entries", 50L);
        assertThat(result.tables()).allSatisfy(t -> assertThat(t.exact()).isTrue());

        ConnectionSpec restored = pg.connectionSpec(db + "_restored");
        engine.createDatabase(restored);
        engine.restore(archive, restored, new RestoreOptions(false, 1));
        pg.tableFingerprints(restored.dbname())
                .forEach((table, fp) -> assertThat(fp.rows()).as(table).isEqualTo(counted.get(table)));
    }

    @Test
    void listArchiveShowsTheTableOfContents() throws IOException {
        Path archive = dumpToFile(pg.connectionSpec(source), DumpOptions.defaults(), d -> {});
        try (InputStream in = Files.newInputStream(archive)) {
            List<String> toc = engine.listArchive(in);
            assertThat(toc).anyMatch(l -> l.contains("TABLE DATA ledger entries"));
            assertThat(toc).anyMatch(l -> l.contains("TABLE DATA public Mixed Case \"Table\""));
            assertThat(toc).noneMatch(l -> l.startsWith(";"));
        }
    }

    @Test
    void listArchiveRejectsBytesThatAreNotAnArchive() {
        InputStream garbage = new ByteArrayInputStream("SELECT 1; -- not an archive".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> engine.listArchive(garbage))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED))
                .hasMessageContaining("valid archive");
    }

    @Test
    void listArchiveRejectsATruncatedArchive() throws IOException {
        Path archive = dumpToFile(pg.connectionSpec(source), DumpOptions.defaults(), d -> {});
        byte[] head = new byte[40];
        try (InputStream in = Files.newInputStream(archive)) {
            in.readNBytes(head, 0, head.length);
        }
        refused(ErrorCode.TOOL_FAILED, () -> engine.listArchive(new ByteArrayInputStream(head)));
    }

    @Test
    void realToolDetectionPicksAPgDumpAtLeastAsNewAsTheServer() {
        ServerInfo server = engine.probe(pg.connectionSpec(source));
        assertThat(server.majorVersion()).isEqualTo(pg.majorVersion());
        assertThat(server.dbname()).isEqualTo(source);
        String tools = engine.toolFor(server.majorVersion());
        // the newest local tools: the server's own major, or newer when the server is an older container
        assertThat(tools)
                .contains("pg_dump " + pg.clientMajorVersion() + ".", "pg_restore " + pg.clientMajorVersion() + ".");
        assertThatThrownBy(() -> engine.toolFor(server.majorVersion() + 50))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOOL_VERSION))
                .hasMessageContaining("pg_dump " + pg.clientMajorVersion() + ".");
    }

    @Test
    void aTooOldPgDumpIsRefusedBeforeAnythingRuns() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path ran = dir.resolve("ran");
        // a stand-in that reports an old version and leaves a trace if it is ever asked to dump
        Path fake = bin.resolve("pg_dump");
        Files.writeString(
                fake,
                "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; exit 0; fi\n" + "touch "
                        + ran + "\necho PGDMP\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        PgDumpEngine withOldTools = new PgDumpEngine(bin, System.getenv(), passfiles);

        assertThatThrownBy(() -> withOldTools.startDump(pg.connectionSpec(source), DumpOptions.defaults()))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_VERSION);
                    assertThat(e.getMessage())
                            .contains("PostgreSQL " + pg.majorVersion())
                            .contains("pg_dump 9.6")
                            .contains(bin.toString());
                    assertThat(e.hint()).contains("pg_bin_dir");
                });
        assertThat(ran).doesNotExist();
    }

    @Test
    void aWrongPasswordIsUnreachableAndTheCanaryLeaksNowhere() {
        String canary = "wrong-canary-7c1f9e";
        ConnectionSpec wrong = new ConnectionSpec(
                pg.host(), pg.port(), source, PgCluster.SUPERUSER, "disable", Secret.of(canary), null);
        for (Runnable call : List.<Runnable>of(
                () -> engine.probe(wrong),
                () -> engine.startDump(wrong, DumpOptions.defaults()),
                () -> engine.inspect(wrong),
                () -> engine.createDatabase(wrong.withDatabase("never")))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(LifeboatException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                assertThat(e.getMessage()).contains("password authentication failed");
                assertNoCanary(e, canary);
            });
        }
    }

    @Test
    void pgDumpsOwnLoginFailureIsUnreachableAndItsStderrCarriesNoPassword() throws IOException {
        // JDBC logs in fine; the real pg_dump is then started as a role that does not exist, so the
        // failure comes from pg_dump's captured stderr
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path realPgDump = new PgTools(null, System.getenv())
                .pick("pg_dump", pg.majorVersion(), null)
                .path();
        Path wrapper = bin.resolve("pg_dump");
        Files.writeString(wrapper, "#!/bin/sh\nPGUSER=lb_nobody exec " + realPgDump + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        PgDumpEngine wrapped = new PgDumpEngine(bin, System.getenv(), passfiles);

        try (Dump dump = wrapped.startDump(pg.connectionSpec(source), DumpOptions.defaults())) {
            assertThatThrownBy(() -> dump.data().transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                        assertThat(e.getMessage()).contains("pg_dump").contains("lb_nobody");
                        assertNoCanary(e, pg.password());
                    });
        }
    }

    @Test
    void thePasswordNeverAppearsInTheChildsCommandLineOrEnvironment() throws Exception {
        try (Dump dump = engine.startDump(pg.connectionSpec(bulk), new DumpOptions(false, 0))) {
            // nothing reads the data yet, so pg_dump blocks on its full pipe and stays alive to be inspected
            ProcessHandle child = ChildProcesses.await("pg_dump");
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + child.pid() + "/cmdline"));
            byte[] environ = Files.readAllBytes(Path.of("/proc/" + child.pid() + "/environ"));
            assertThat(new String(cmdline, StandardCharsets.UTF_8))
                    .contains("--format=custom")
                    .doesNotContain(pg.password());
            String env = new String(environ, StandardCharsets.UTF_8);
            assertThat(env).doesNotContain(pg.password()).contains("PGPASSFILE=" + passfiles);
            try (var files = Files.list(passfiles)) {
                Path passfile = files.findFirst().orElseThrow();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passfile)))
                        .isEqualTo("rw-------");
            }
            dump.data().transferTo(OutputStream.nullOutputStream());
            assertThat(dump.finish().tables())
                    .extracting(TableSummary::qualifiedName)
                    .containsExactly("public.bulk");
        }
    }

    @Test
    void aPgDumpKilledMidStreamMakesReadingFail() throws Exception {
        try (Dump dump = engine.startDump(pg.connectionSpec(bulk), new DumpOptions(false, 0))) {
            InputStream data = dump.data();
            assertThat(data.readNBytes(100_000)).hasSize(100_000);
            ChildProcesses.await("pg_dump").destroyForcibly();
            assertThatThrownBy(() -> data.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
                        assertThat(e.getMessage()).contains("killed by signal 9");
                    });
            // the failure sticks: no later read or finish can make the dump look complete
            assertThatThrownBy(data::read).isInstanceOf(LifeboatException.class);
            assertThatThrownBy(dump::finish).isInstanceOf(LifeboatException.class);
        }
    }

    @Test
    void interruptingTheReaderKillsPgDump() throws Exception {
        Dump dump = engine.startDump(pg.connectionSpec(bulk), new DumpOptions(false, 0));
        ProcessHandle child = ChildProcesses.await("pg_dump");
        Worker reader = Worker.started(() -> {
            byte[] buf = new byte[1024];
            while (dump.data().read(buf) >= 0) {
                LockSupport.parkNanos(1_000_000); // slow consumer; an interrupt keeps its flag
            }
        });
        Thread.sleep(100);
        reader.thread.interrupt();

        reader.assertEndsCancelled();
        assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(childrenNamed("pg_dump")).isEmpty();
        assertThatThrownBy(dump::finish).isInstanceOf(LifeboatException.class);
        dump.close();
    }

    @Test
    void abortStopsPgDumpAndWakesAWaitingReader() throws Exception {
        // an exclusive lock makes pg_dump wait forever without writing: only a kill ends it
        try (Connection locker = pg.connect(source)) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE ledger.entries IN ACCESS EXCLUSIVE MODE");
            Dump dump = engine.startDump(pg.connectionSpec(source), DumpOptions.defaults());
            ProcessHandle child = ChildProcesses.await("pg_dump");
            Worker reader = Worker.started(() -> dump.data().transferTo(OutputStream.nullOutputStream()));
            Thread.sleep(200);
            dump.abort();
            reader.assertEndsCancelled();
            assertThat(child.isAlive()).isFalse();
            locker.rollback();
        }
    }

    @Test
    void cleanRestoreReplacesTheTargetsTables() throws IOException {
        Path archive = dumpToFile(pg.connectionSpec(source), DumpOptions.defaults(), d -> {});
        String target = pg.createUniqueDatabase("clean_ok");
        SampleData.create(pg, target, 7);
        pg.execute(target, "CREATE TABLE public.unrelated (x int)", "INSERT INTO public.unrelated VALUES (42)");

        engine.restore(archive, pg.connectionSpec(target), new RestoreOptions(true, 1));

        Map<String, PgCluster.TableFingerprint> after = pg.tableFingerprints(target);
        pg.tableFingerprints(source)
                .forEach((t, fp) -> assertThat(after.get(t)).as(t).isEqualTo(fp));
        assertThat(after.get("public.unrelated").rows()).isEqualTo(1);
    }

    @Test
    void aCleanRestoreThatFailsPartWayLeavesTheTargetAsItWas() throws IOException {
        String db = pg.createUniqueDatabase("grants");
        SampleData.create(pg, db, 20);
        pg.execute(db, "CREATE ROLE lb_gone", "GRANT SELECT ON public.numbers TO lb_gone");
        Path archive = dumpToFile(pg.connectionSpec(db), DumpOptions.defaults(), d -> {});
        // the archive now grants to a role that no longer exists: the restore fails at the very end
        pg.execute(db, "DROP OWNED BY lb_gone", "DROP ROLE lb_gone");

        String target = pg.createUniqueDatabase("clean_fail");
        SampleData.create(pg, target, 5);
        Map<String, PgCluster.TableFingerprint> before = pg.tableFingerprints(target);

        assertThatThrownBy(() -> engine.restore(archive, pg.connectionSpec(target), new RestoreOptions(true, 1)))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_FAILED);
                    assertThat(e.getMessage()).contains("pg_restore").contains("lb_gone");
                });
        assertThat(pg.tableFingerprints(target)).isEqualTo(before);
    }

    @Test
    void interruptingARestoreKillsPgRestoreAndLeavesTheTargetAsItWas() throws Exception {
        Path archive = dumpToFile(pg.connectionSpec(source), DumpOptions.defaults(), d -> {});
        String target = pg.createUniqueDatabase("interrupted");
        SampleData.create(pg, target, 5);
        Map<String, PgCluster.TableFingerprint> before = pg.tableFingerprints(target);
        try (Connection locker = pg.connect(target)) {
            // the clean restore's DROPs wait on this lock, so it is surely still running when interrupted
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE ledger.entries IN ACCESS EXCLUSIVE MODE");
            Worker restorer = Worker.started(
                    () -> engine.restore(archive, pg.connectionSpec(target), new RestoreOptions(true, 1)));
            ProcessHandle child = ChildProcesses.await("pg_restore");
            Thread.sleep(100);
            restorer.thread.interrupt();
            restorer.assertEndsCancelled();
            assertThat(child.isAlive()).isFalse();
            locker.rollback();
        }
        assertThat(pg.tableFingerprints(target)).isEqualTo(before);
    }

    @Test
    void restoreRefusesAFileThatIsNotACustomFormatArchive() throws IOException {
        Path sql = Files.writeString(dir.resolve("plain.sql"), "DROP TABLE numbers;");
        refused(
                ErrorCode.INTEGRITY_FAILED,
                () -> engine.restore(sql, pg.connectionSpec(source), new RestoreOptions(true, 1)));
        assertThat(pg.tableFingerprints(source)).containsKey("public.numbers");
    }

    @Test
    void createInspectAndDropADatabase() throws Exception {
        ConnectionSpec spec = pg.connectionSpec("life \"boat\" db");
        DatabaseState missing = engine.inspect(spec);
        assertThat(missing.exists()).isFalse();
        assertThat(missing.server().majorVersion()).isEqualTo(pg.majorVersion());

        engine.createDatabase(spec);
        refused(ErrorCode.ALREADY_EXISTS, () -> engine.createDatabase(spec));
        pg.execute(spec.dbname(), "CREATE SCHEMA s", "CREATE TABLE s.t (id int)");
        DatabaseState present = engine.inspect(spec);
        assertThat(present.exists()).isTrue();
        assertThat(present.tables()).containsExactly("s.t");

        try (Connection open = pg.connect(spec.dbname())) {
            engine.dropDatabase(spec); // ends the open session rather than failing on it
        }
        assertThat(pg.databaseExists(spec.dbname())).isFalse();
        engine.dropDatabase(spec); // dropping what is not there is fine
    }

    @Test
    void dumpingAMissingDatabaseIsNotFound() {
        assertThatThrownBy(() -> engine.startDump(pg.connectionSpec("no_such_db"), DumpOptions.defaults()))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no_such_db");
    }

    @Test
    void anUnreachableServerIsReportedWithAHint() {
        ConnectionSpec nowhere = new ConnectionSpec("127.0.0.1", 1, "x", "u", "disable", null, null);
        assertThatThrownBy(() -> engine.probe(nowhere)).isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
            assertThat(e.hint()).contains("host and port");
        });
    }

    private interface ResultCheck {
        void check(Dump.Result r);
    }

    private Path dumpToFile(ConnectionSpec spec, DumpOptions options, ResultCheck check) throws IOException {
        Path archive = Files.createTempFile(dir, "dump", ".pgdump");
        try (Dump dump = engine.startDump(spec, options);
                OutputStream out = Files.newOutputStream(archive)) {
            dump.data().transferTo(out);
            check.check(dump.finish());
        }
        return archive;
    }

    /** Work on a thread of its own, started at once, keeping what it throws. */
    private static final class Worker {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread thread;

        private Worker(Executable work) {
            thread = new Thread(() -> {
                try {
                    work.execute();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
        }

        static Worker started(Executable work) {
            Worker w = new Worker(work);
            w.thread.start();
            return w;
        }

        /** Waits for the work to end (10 s at most), asserting that it has and that it was refused as CANCELLED. */
        void assertEndsCancelled() throws InterruptedException {
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
            assertThat(thrown.get())
                    .isInstanceOfSatisfying(
                            LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
        }
    }

    private static List<ProcessHandle> childrenNamed(String name) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false))
                .toList();
    }

    private static void assertNoCanary(LifeboatException e, String canary) {
        assertThat(e.getMessage()).doesNotContain(canary);
        assertThat(String.valueOf(e.hint())).doesNotContain(canary);
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            // causes are not redacted, but must not carry the value either
            assertThat(String.valueOf(c.getMessage())).doesNotContain(canary);
        }
    }
}

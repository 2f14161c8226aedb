package dev.lifeboat.core;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.manage.DeletePlan;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.testing.ChildProcesses;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service end to end against a real PostgreSQL with password authentication and real pg_dump/pg_restore. */
class BackupServiceIT extends OverSharedCluster {
    private Path storeDir;

    @AutoClose
    private BackupService service;

    @BeforeEach
    void setUp() {
        live = sampleApp("src", 200, db -> db.countRows("estimate"))
                .store("local")
                .env("LB_WRONG_PW", "not-the-password");
        storeDir = live.storeDir("local");
        service = live.open();
    }

    /** The same installation with exact row counts. */
    private BackupService exact() {
        return live.open(c -> c.database("app", db -> db.countRows("exact")));
    }

    /** The same installation whose database entry points at a closed port. */
    private BackupService down() {
        return live.open(c -> c.database("app", db -> db.port(1)));
    }

    /** The clean restore of {@code m}'s backup over {@code target} (null: the source itself), without a token. */
    private static RestoreRequest clean(Manifest m, String target) {
        return new RestoreRequest(m.id(), null, null, target, RestoreMode.CLEAN, null);
    }

    private BackupRecord backup() {
        return service.create(new CreateBackupRequest("app", null, "nightly", Map.of("env", "test")), ctx);
    }

    @Test
    void roundTripRestoresEveryTableWithTheSameContent() {
        BackupRecord created = backup();
        Manifest m = created.manifest();
        assertThat(m.id()).startsWith("app-");
        assertThat(m.sha256()).matches("[0-9a-f]{64}");
        assertThat(m.sizeBytes()).isPositive();
        assertThat(m.server().dbname()).isEqualTo(source);
        assertThat(m.server().majorVersion()).isEqualTo(pg.majorVersion());
        assertThat(m.dumpTool()).contains("pg_dump");
        assertThat(m.format()).isEqualTo("custom");
        assertThat(m.label()).isEqualTo("nightly");
        assertThat(m.tags()).containsEntry("env", "test");
        assertThat(m.rowCounts()).isEqualTo("estimate");
        assertThat(m.tables()).extracting(TableSummary::qualifiedName).containsAll(SampleData.TABLES);
        assertThat(Files.exists(storeDir.resolve("app/" + m.id() + "/manifest.json")))
                .isTrue();

        assertThat(service.list(ListBackupsQuery.all()))
                .extracting(r -> r.manifest().id())
                .containsExactly(m.id());
        assertThat(service.get(m.id(), null).manifest()).isEqualTo(m);

        VerificationReport checksum = service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx);
        assertThat(checksum.passed()).isTrue();
        VerificationReport archive = service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
        assertThat(archive.passed()).as("%s", archive.checks()).isTrue();
        assertThat(archive.checks()).extracting(VerificationReport.Check::name).contains("archive-toc");

        String target = PgCluster.uniqueName("restored");
        RestoreRequest req = new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null);
        RestorePlan plan = service.planRestore(req);
        assertThat(plan.destructive()).isFalse();
        assertThat(plan.confirmation()).isNull();
        assertThat(plan.targetExists()).isFalse();
        RestoreResult result = service.restore(req, ctx);
        assertThat(result.sha256()).isEqualTo(m.sha256());
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void aBackupsProgressWhileDumpingHasTheDatabasesSizeAsItsTotalAndNamesEachTable() {
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<long[]> amounts = new java.util.concurrent.CopyOnWriteArrayList<>();
        Progress progress = (done, total, message) -> {
            reports.add(message);
            amounts.add(new long[] {done, total});
        };
        BackupRecord created = service.create(
                new CreateBackupRequest("app", null, null, Map.of()), tester(progress, new CancelSignal()));
        List<String> tables = new java.util.ArrayList<>();
        long total = -1;
        for (int i = 0; i < reports.size(); i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "^dumping app: [0-9.]+ (B|KiB|MiB) written, table (.+) \\((\\d+) of (\\d+)\\)$")
                    .matcher(reports.get(i));
            if (m.matches()) {
                // a table's line comes again as more bytes are written
                if (!tables.contains(m.group(2))) {
                    tables.add(m.group(2));
                }
                assertThat(Integer.parseInt(m.group(3))).isEqualTo(tables.indexOf(m.group(2)) + 1);
                assertThat(Integer.parseInt(m.group(4))).isEqualTo(SampleData.TABLES.size());
                total = amounts.get(i)[1];
                assertThat(amounts.get(i)[0]).isBetween(0L, total - 1);
            }
        }
        assertThat(tables).as(String.join("\n", reports)).containsExactlyInAnyOrderElementsOf(SampleData.TABLES);
        assertThat(total).as("the tables' size on the server").isPositive();
        assertThat(reports.get(reports.size() - 1)).contains("committed");
        assertThat(created.manifest().tables()).hasSize(SampleData.TABLES.size());
    }

    @Test
    void exactRowCountsAreTakenInTheDumpsOwnSnapshot() {
        try (BackupService exact = exact()) {
            Manifest m = backupOfApp(exact);
            assertThat(m.rowCounts()).isEqualTo("exact");
            Map<String, PgCluster.TableFingerprint> fp = pg.tableFingerprints(source);
            for (TableSummary t : m.tables()) {
                assertThat(t.exact()).isTrue();
                assertThat(t.rows())
                        .as(t.qualifiedName())
                        .isEqualTo(fp.get(t.qualifiedName()).rows());
            }
        }
    }

    @Test
    void restoreOverAnExistingDatabaseNeedsAValidTokenAndLeavesItAloneWithout() {
        Manifest m = backup().manifest();
        pg.execute(source, "INSERT INTO public.numbers (id) VALUES (100000)", "CREATE TABLE public.extra (x int)");
        var changed = pg.tableFingerprints(source);
        RestoreRequest req = clean(m, null);

        assertCode(() -> service.restore(req, ctx), ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(pg.tableFingerprints(source)).isEqualTo(changed);

        RestorePlan plan = service.planRestore(req);
        assertThat(plan.destructive()).isTrue();
        assertThat(plan.targetExists()).isTrue();
        assertThat(plan.willReplace()).contains("public.numbers");
        assertThat(plan.willKeep()).containsExactly("public.extra");
        assertThat(plan.summary()).contains("OVER the existing database").contains(source);
        assertThat(plan.confirmation().token()).startsWith("lbc1.");

        assertCode(() -> service.restore(req.withToken("lbc1.garbage"), ctx), ErrorCode.TOKEN_REJECTED);
        assertThat(pg.tableFingerprints(source)).isEqualTo(changed);

        service.restore(req.withToken(plan.confirmation().token()), ctx);
        var restored = pg.tableFingerprints(source);
        assertThat(restored.get("public.numbers").rows()).isEqualTo(200);
        assertThat(restored).containsKey("public.extra");

        assertThatThrownBy(
                        () -> service.restore(req.withToken(plan.confirmation().token()), ctx))
                .hasMessageContaining("already used");
    }

    @Test
    void aTokenForAnotherTargetIsRefusedAndNothingIsTouched() {
        Manifest m = backup().manifest();
        String other = pg.createUniqueDatabase("other");
        pg.execute(other, "CREATE TABLE keep_me (x int)", "INSERT INTO keep_me VALUES (1)");
        RestorePlan plan = service.planRestore(clean(m, source));
        var before = pg.tableFingerprints(other);
        assertThat(refused(
                        ErrorCode.TOKEN_REJECTED,
                        () -> service.restore(
                                clean(m, other).withToken(plan.confirmation().token()), ctx)))
                .hasMessageContaining("issued for target");
        assertThat(pg.tableFingerprints(other)).isEqualTo(before);
    }

    @Test
    void aFlippedByteIsReportedByVerifyAndRefusedByRestore() throws IOException {
        Manifest m = backup().manifest();
        Tampering.flipMiddleByte(storeDir.resolve("app/" + m.id() + "/dump"), 0x01);
        VerificationReport report = service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
        assertThat(report.passed()).isFalse();
        VerificationReport.Check sha = report.checks().stream()
                .filter(c -> c.name().equals("sha256"))
                .findFirst()
                .orElseThrow();
        assertThat(sha.passed()).isFalse();
        assertThat(sha.expected()).isEqualTo(m.sha256());
        assertThat(sha.actual()).isNotEqualTo(m.sha256());

        assertThat(refusedIntoNew(service, m, ErrorCode.INTEGRITY_FAILED))
                .hasMessageContaining("integrity check failed");

        var before = pg.tableFingerprints(source);
        RestorePlan plan = service.planRestore(clean(m, null));
        assertCode(
                () -> service.restore(
                        clean(m, null).withToken(plan.confirmation().token()), ctx),
                ErrorCode.INTEGRITY_FAILED);
        assertThat(pg.tableFingerprints(source)).isEqualTo(before);
    }

    @Test
    void sealedBytesThatAreNotAPgDumpArchiveAreRefusedBeforeTheTargetIsCreated() throws Exception {
        // the magic check runs on the first bytes of the hashing pass: bytes whose checksum matches the
        // manifest but are no archive must still be refused, with nothing created
        Manifest m = backup().manifest();
        byte[] junk = "not an archive at all\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Tampering.replace(m, storeDir.resolve("app/" + m.id() + "/dump"), junk);
        assertThat(refusedIntoNew(service, m, ErrorCode.INTEGRITY_FAILED))
                .hasMessageContaining("is not a pg_dump custom-format archive")
                .hasMessageContaining("the target database was not touched");
    }

    @Test
    void aTruncatedDumpFailsTheSizeCheck() throws IOException {
        Manifest m = backup().manifest();
        Path dump = storeDir.resolve("app/" + m.id() + "/dump");
        try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
            f.setLength(m.sizeBytes() - 1);
        }
        VerificationReport report = service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx);
        assertThat(report.passed()).isFalse();
        VerificationReport.Check size = onlyCheck(report, "size");
        assertThat(size.passed()).isFalse();
        assertThat(size.expected()).isEqualTo(Long.toString(m.sizeBytes()));
        assertThat(size.actual()).isEqualTo(Long.toString(m.sizeBytes() - 1));
        assertCode(
                () -> service.restore(
                        new RestoreRequest(m.id(), null, null, PgCluster.uniqueName("t"), RestoreMode.CREATE, null),
                        ctx),
                ErrorCode.INTEGRITY_FAILED);
    }

    @Test
    void aDumpKilledMidStreamLeavesNoListedBackupAndNoData() {
        SampleData.createBulk(pg, source, 24);
        AtomicBoolean killed = new AtomicBoolean();
        OperationContext killer = onceStreaming(
                () -> {
                    killed.set(true);
                    ChildProcesses.pgDump().forEach(ProcessHandle::destroyForcibly);
                },
                new CancelSignal());
        assertThatThrownBy(() -> service.create(new CreateBackupRequest("app", null, null, null), killer))
                .isInstanceOf(LifeboatException.class);
        assertThat(killed).isTrue();
        assertThat(service.list(ListBackupsQuery.all())).isEmpty();
        assertThat(regularFiles(storeDir)).isEmpty();
    }

    @Test
    void cancellingABackupStopsPgDumpAndCommitsNothing() {
        SampleData.createBulk(pg, source, 24);
        CancelSignal cancel = new CancelSignal();
        OperationContext c = onceStreaming(cancel::cancel, cancel);
        assertCode(() -> service.create(new CreateBackupRequest("app", null, null, null), c), ErrorCode.CANCELLED);
        assertThat(service.list(ListBackupsQuery.all())).isEmpty();
        assertThat(ChildProcesses.pgDump()).isEmpty();
    }

    @Test
    void deleteNeedsATokenAndRemovesManifestAndData() {
        Manifest m = backup().manifest();
        assertCode(() -> service.delete(m.id(), null, null, ctx), ErrorCode.CONFIRMATION_REQUIRED);
        DeletePlan plan = service.planDelete(m.id(), null);
        assertThat(plan.summary()).contains(m.id()).contains("cannot be undone");
        // the only backup of app: the plan guards it, and the token alone does not delete it
        assertThat(plan.guards()).containsExactly("it is the last backup of app in every store");
        assertCode(
                () -> service.delete(m.id(), null, plan.confirmation().token(), ctx), ErrorCode.CONFIRMATION_REQUIRED);
        service.delete(m.id(), null, plan.confirmation().token(), true, ctx);
        assertThat(service.list(ListBackupsQuery.all())).isEmpty();
        assertThat(regularFiles(storeDir)).isEmpty();
        assertCode(() -> service.get(m.id(), null), ErrorCode.NOT_FOUND);
    }

    @Test
    void listGetAndChecksumVerifyWorkWithTheDatabaseDownFromAFreshInstall() {
        Manifest m = backup().manifest();
        // another installation (new state dir) whose database entry points at a closed port
        try (BackupService fresh = down()) {
            assertThat(fresh.list(new ListBackupsQuery("app", "local", null, 5)))
                    .extracting(r -> r.manifest().id())
                    .containsExactly(m.id());
            assertThat(fresh.verify(m.id(), "local", VerifyLevel.CHECKSUM, ctx).passed())
                    .isTrue();
            assertCode(
                    () -> fresh.create(new CreateBackupRequest("app", null, null, null), ctx),
                    ErrorCode.DATABASE_UNREACHABLE);
        }
    }

    @Test
    void listFiltersBySinceAndLimitNewestFirst() {
        Manifest a = backup().manifest();
        Manifest b = backup().manifest();
        assertThat(service.list(ListBackupsQuery.all()))
                .extracting(r -> r.manifest().id())
                .containsExactly(b.id(), a.id());
        assertThat(service.list(new ListBackupsQuery(null, null, null, 1)))
                .extracting(r -> r.manifest().id())
                .containsExactly(b.id());
        assertThat(service.list(new ListBackupsQuery(null, null, b.createdAt(), 0)))
                .extracting(r -> r.manifest().id())
                .containsExactly(b.id());
        assertThat(service.list(new ListBackupsQuery("other", null, null, 0))).isEmpty();
    }

    @Test
    void invalidIdsAreRejectedBeforeAnyStoreCall() {
        for (String bad : List.of("../../etc/passwd", "app-20261122T071200Z-3f9a/../x", "", "a\u0000b")) {
            assertCode(() -> service.get(bad, null), ErrorCode.INVALID_ARGUMENT);
            assertCode(() -> service.verify(bad, null, VerifyLevel.CHECKSUM, ctx), ErrorCode.INVALID_ARGUMENT);
            assertCode(
                    () -> service.restore(new RestoreRequest(bad, null, null, null, RestoreMode.CREATE, null), ctx),
                    ErrorCode.INVALID_ARGUMENT);
            assertCode(() -> service.planDelete(bad, null), ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(storeDir).doesNotExist();
    }

    @Test
    void theCanaryPasswordAppearsInNoErrorAuditLineOrManifest() throws IOException {
        String canary = pg.password();
        // every log event, DEBUG and up, as its raw formatted message: the canary must not reach a logger at all
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        root.addAppender(logs);
        List<String> outputs = new java.util.ArrayList<>();
        try {
            canaryRuns(outputs);
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
        for (ch.qos.logback.classic.spi.ILoggingEvent e : logs.list) {
            outputs.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                outputs.add(e.getThrowableProxy().getMessage());
            }
        }
        for (Path p : regularFiles(dir)) {
            outputs.add(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertThat(outputs).allSatisfy(o -> assertThat(o).doesNotContain(canary));
        assertThat(Files.readString(dir.resolve("state/audit.jsonl"))).contains("\"outcome\":\"error\"");
    }

    private void canaryRuns(List<String> outputs) throws IOException {
        Manifest m = backup().manifest();
        service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
        // wrong password, unreachable port, missing database
        try (BackupService wrong = live.open(c -> c.database("app", db -> db.passwordEnv("LB_WRONG_PW")));
                BackupService down = down()) {
            for (BackupService s : List.of(wrong, down)) {
                try {
                    s.create(new CreateBackupRequest("app", null, null, null), ctx);
                } catch (LifeboatException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                    outputs.add(e.getMessage() + " " + e.hint() + " " + e);
                }
            }
        }
        assertThat(outputs).hasSize(2);
        // a failing restore (over an existing database with a bad token) and a failing archive check
        try {
            service.restore(clean(m, null).withToken("lbc1.bad"), ctx);
        } catch (LifeboatException e) {
            outputs.add(e.getMessage() + " " + e.hint());
        }
        Files.write(storeDir.resolve("app/" + m.id() + "/dump"), new byte[] {'P', 'G', 'D', 'M', 'P', 0, 0});
        VerificationReport broken = service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
        outputs.add(broken.toString());
    }

    @Test
    void aRestoreDrillPassesLeavesEvidenceAndDropsItsScratchDatabase() throws IOException {
        try (BackupService exact = exact()) {
            Manifest m = backupOfApp(exact);
            VerificationReport report = exact.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(report.passed()).as("%s", report).isTrue();
            DrillRecord drill = report.drill();
            assertThat(drill.result()).isEqualTo("PASS");
            assertThat(drill.rowCountSource()).isEqualTo("manifest (exact)");
            assertThat(drill.scratchDropped()).isTrue();
            assertThat(drill.performedBy()).isEqualTo("tester");
            assertThat(drill.sha256()).isEqualTo(m.sha256());
            assertThat(drill.tables())
                    .extracting(DrillRecord.TableResult::table)
                    .containsExactlyInAnyOrderElementsOf(SampleData.TABLES);
            assertThat(drill.tables()).allSatisfy(t -> assertThat(t.passed()).isTrue());
            assertThat(pg.databaseExists(drill.scratchDatabase())).isFalse();
            assertThat(exact.drills("app", null)).singleElement().isEqualTo(drill);
            try (Stream<Path> s = Files.list(storeDir.resolve("app/" + m.id() + "/drills"))) {
                assertThat(s.toList())
                        .singleElement()
                        .satisfies(p -> assertThat(p.toString()).endsWith(".json"));
            }
            // drill records are not backups
            assertThat(exact.list(ListBackupsQuery.all())).hasSize(1);
        }
    }

    @Test
    void aDrillWithoutExactCountsComparesWithTheArchivesOwnData() {
        Manifest m = backup().manifest();
        VerificationReport report = service.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
        assertThat(report.passed()).as("%s", report).isTrue();
        assertThat(report.drill().rowCountSource()).isEqualTo("archive");
        assertThat(report.drill().tables())
                .filteredOn(t -> t.table().equals("public.numbers"))
                .singleElement()
                .satisfies(t -> assertThat(t.restoredRows()).isEqualTo(200));
    }

    @Test
    void aDrillCatchesAManifestWhoseCountsDisagreeWithItsData() throws IOException {
        try (BackupService exact = exact()) {
            Manifest m = backupOfApp(exact);
            Path manifest = storeDir.resolve("app/" + m.id() + "/manifest.json");
            String json = Files.readString(manifest);
            // plant a lie: the manifest says ledger.entries had one row more than the dump holds
            String planted = json.replaceFirst(
                    "(\"schema\" : \"ledger\",\\s*\"name\" : \"entries\",\\s*\"rows\" : )200", "$1201");
            assertThat(planted).isNotEqualTo(json);
            Files.writeString(manifest, planted);
            VerificationReport report = exact.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(report.passed()).isFalse();
            assertThat(report.drill().result()).isEqualTo("FAIL");
            assertThat(report.drill().mismatches())
                    .singleElement()
                    .asString()
                    .contains("ledger.entries")
                    .contains("expected 201")
                    .contains("restored 200");
            assertThat(pg.databaseExists(report.drill().scratchDatabase())).isFalse();
        }
    }

    @Test
    void aCancelledDrillDropsItsScratchDatabase() {
        Manifest m = backup().manifest();
        CancelSignal cancel = new CancelSignal();
        String[] scratch = new String[1];
        OperationContext c = tester(
                (done, total, message) -> {
                    if (message.startsWith("restoring") && message.contains("scratch database")) {
                        scratch[0] = message.substring(message.lastIndexOf(' ') + 1);
                    }
                    if (message.startsWith("comparing")) {
                        cancel.cancel();
                    }
                },
                cancel);
        assertCode(() -> service.verify(m.id(), null, VerifyLevel.RESTORE, c), ErrorCode.CANCELLED);
        assertThat(scratch[0]).startsWith("lifeboat_drill_");
        assertThat(pg.databaseExists(scratch[0])).isFalse();
        assertThat(pg.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill_%'"))
                .isEmpty();
    }

    /** The tester's context, running {@code interrupt} once, when the first bytes have been streamed. */
    private static OperationContext onceStreaming(Runnable interrupt, CancelSignal cancel) {
        AtomicBoolean ran = new AtomicBoolean();
        return tester(
                (done, total, message) -> {
                    if (done > 0 && ran.compareAndSet(false, true)) {
                        interrupt.run();
                    }
                },
                cancel);
    }

    /** The tester's context, with {@code progress} watching the operation and {@code cancel} able to stop it. */
    private static OperationContext tester(Progress progress, CancelSignal cancel) {
        return new OperationContext("test", "tester", progress, cancel);
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        Refusals.refused(code, call);
    }

    private static List<Path> regularFiles(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unused")
    private static String dumpKey(Manifest m) {
        return Catalog.dumpKey(m.backupId());
    }
}

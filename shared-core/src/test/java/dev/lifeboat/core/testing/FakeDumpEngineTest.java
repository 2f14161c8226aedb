package dev.lifeboat.core.testing;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.TableSummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake engine dumps, lists and restores its own archives as the PostgreSQL engine would, and fails on
 * cue; its dump keeps {@link Dump}'s contract ({@link FakeDumpContractTest}).
 */
class FakeDumpEngineTest {
    private static final ConnectionSpec APP = new ConnectionSpec("db.test", 5432, "app", "lifeboat", null, null, null);
    private static final ConnectionSpec COPY = APP.withDatabase("app_copy");

    @TempDir
    Path dir;

    private final FakeDumpEngine engine =
            new FakeDumpEngine().database("app", Map.of("accounts", 3, "ledger.entries", 5, "orders", 0));

    private byte[] dump(DumpOptions options) throws IOException {
        try (Dump d = engine.startDump(APP, options)) {
            byte[] data = d.data().readAllBytes();
            d.finish();
            return data;
        }
    }

    private Path file(byte[] data) throws IOException {
        return Files.write(Files.createTempFile(dir, "archive", ".dump"), data);
    }

    @Test
    void aDumpIsTheSameCustomFormatLookingArchiveEveryTime() throws IOException {
        byte[] first = dump(DumpOptions.defaults());
        byte[] second = dump(DumpOptions.defaults());
        assertThat(first).isEqualTo(second);
        assertThat(new String(first, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        try (Dump d = engine.startDump(APP, new DumpOptions(true, 0))) {
            d.data().readAllBytes();
            Dump.Result r = d.finish();
            assertThat(r.tables())
                    .containsExactly(
                            new TableSummary("ledger", "entries", 5, true),
                            new TableSummary("public", "accounts", 3, true),
                            new TableSummary("public", "orders", 0, true));
            assertThat(r.compression()).isEqualTo("none");
            assertThat(r.toolVersion()).isEqualTo("pg_dump (PostgreSQL) 15.19");
            assertThat(d.server().majorVersion()).isEqualTo(15);
            assertThat(d.server().dbname()).isEqualTo("app");
        }
        assertThat(engine.dumps()).allMatch(FakeDump::finished);
    }

    @Test
    void listingReadsOnlyTheTableOfContentsAndNamesTheTableData() throws IOException {
        byte[] archive = dump(DumpOptions.defaults());
        InputStream in = new ByteArrayInputStream(archive);
        assertThat(engine.listArchive(in))
                .filteredOn(l -> l.contains(" TABLE DATA "))
                .hasSize(3)
                .anySatisfy(l -> assertThat(l).contains(" TABLE DATA public accounts "));
        assertThat(in.available()).isPositive(); // the rows were not read
        refused(ErrorCode.TOOL_FAILED, () -> engine.listArchive(new ByteArrayInputStream("not an archive".getBytes())));
    }

    @Test
    void aRestoreIntoANewDatabaseHoldsWhatTheArchiveHoldsAndIsRecorded() throws IOException {
        byte[] archive = dump(DumpOptions.defaults());
        Path f = file(archive);
        assertThat(engine.inspect(COPY).exists()).isFalse();
        engine.createDatabase(COPY);
        engine.restore(f, COPY, new RestoreOptions(false, 4));
        assertThat(engine.databaseContents(COPY)).isEqualTo(engine.archiveContents(f));
        assertThat(engine.databaseContents(COPY)).isEqualTo(engine.databaseContents(APP));
        assertThat(engine.inspect(COPY).tables()).containsExactly("ledger.entries", "public.accounts", "public.orders");
        FakeDumpEngine.RestoreCall call = engine.restores().get(0);
        assertThat(call.target()).isEqualTo(COPY);
        assertThat(call.options()).isEqualTo(new RestoreOptions(false, 4));
        assertThat(call.archive()).isEqualTo(archive);
        assertThat(engine.calls()).containsSubsequence("createDatabase app_copy", "restore app_copy");
    }

    @Test
    void aDumpFailingMidwayThrowsFromReadAndNeverEnds() {
        engine.failDumpAfter(100);
        Dump d = engine.startDump(APP, DumpOptions.defaults());
        byte[] buf = new byte[1 << 16];
        LifeboatException e = refused(ErrorCode.TOOL_FAILED, () -> {
            while (d.data().read(buf) != -1) {
                // read until it fails
            }
        });
        assertThat(e.getMessage()).startsWith("pg_dump for lifeboat@db.test:5432/app failed");
        assertThat(engine.dumps().get(0).bytesRead()).isEqualTo(100);
        assertThatThrownBy(d::finish).isInstanceOf(LifeboatException.class);
    }

    @Test
    void aFailedRestoreLeavesANewDatabaseHalfRestoredAndACleanOneAsItWas() throws IOException {
        Path f = file(dump(DumpOptions.defaults()));
        engine.failAt(FakeDumpEngine.Step.RESTORE);
        engine.createDatabase(COPY);
        LifeboatException e =
                refused(ErrorCode.TOOL_FAILED, () -> engine.restore(f, COPY, new RestoreOptions(false, 1)));
        assertThat(e.getMessage()).contains("pg_restore for lifeboat@db.test:5432/app_copy");
        assertThat(engine.tables("app_copy")).get().satisfies(t -> assertThat(t).hasSize(1));
        engine.database("existing", Map.of("keep", 2));
        ConnectionSpec existing = APP.withDatabase("existing");
        assertThatThrownBy(() -> engine.restore(f, existing, new RestoreOptions(true, 1)))
                .isInstanceOf(LifeboatException.class);
        assertThat(engine.tables("existing"))
                .get()
                .satisfies(t -> assertThat(t.keySet()).containsExactly("public.keep"));
        assertThat(engine.restores()).hasSize(2);
    }

    @Test
    void aRestoreRefusesWhatIsNotAWholeArchive() throws IOException {
        byte[] archive = dump(DumpOptions.defaults());
        engine.database("a").database("b");
        refused(
                ErrorCode.INTEGRITY_FAILED,
                () -> engine.restore(
                        file("PLAIN SQL".getBytes(StandardCharsets.US_ASCII)),
                        APP.withDatabase("a"),
                        new RestoreOptions(false, 1)));
        Path truncated = file(Arrays.copyOf(archive, archive.length - 10));
        LifeboatException e = refused(
                ErrorCode.TOOL_FAILED,
                () -> engine.restore(truncated, APP.withDatabase("b"), new RestoreOptions(false, 1)));
        assertThat(e.getMessage()).contains("end of file");
        assertThat(engine.tables("b")).get().satisfies(t -> assertThat(t).isEmpty());
    }

    @Test
    void anUnreachableServerAndATargetThatExistsFailAsPostgresWould() throws IOException {
        engine.database("app_copy");
        assertThat(engine.inspect(COPY).exists()).isTrue();
        refused(ErrorCode.ALREADY_EXISTS, () -> engine.createDatabase(COPY));
        byte[] archive = dump(DumpOptions.defaults());
        engine.unreachable();
        for (Runnable step : new Runnable[] {
            () -> engine.probe(APP), () -> engine.inspect(COPY), () -> engine.startDump(APP, DumpOptions.defaults())
        }) {
            refused(ErrorCode.DATABASE_UNREACHABLE, step::run);
        }
        // reading an archive needs no server
        assertThat(engine.listArchive(new ByteArrayInputStream(archive))).isNotEmpty();
        engine.heal();
        assertThat(engine.probe(APP).version()).isEqualTo("15.19");
    }
}

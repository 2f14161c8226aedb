package dev.lifeboat.core.engine;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Dump} keeps, whatever engine started it: the real pg_dump's
 * ({@code PgDumpContractIT}) and the fake the core's unit tests run on ({@code FakeDumpContractTest}),
 * so that what the core's fast tests rely on is what pg_dump does. The core depends on these rules to
 * never store a truncated archive as a backup: the end of the data is reported only for a dump that
 * succeeded, a failure sticks, and finishing early or abandoning a dump stops it.
 */
public abstract class DumpContract {

    /** A dump of a database with tables and rows, started. */
    protected abstract Dump start();

    /** A dump whose tool fails (exits with an error) before its data ends, started. */
    protected abstract Dump startFailing();

    /** The code a failed tool's dump reports. */
    protected ErrorCode toolFailure() {
        return ErrorCode.TOOL_FAILED;
    }

    private static void drain(Dump dump) throws IOException {
        dump.data().transferTo(OutputStream.nullOutputStream());
    }

    @Test
    void readToItsEndThenFinishedADumpReportsTheToolAndTheTablesAndAgainTheSame() throws IOException {
        try (Dump dump = start()) {
            byte[] data = dump.data().readAllBytes();
            assertThat(new String(Arrays.copyOf(data, 5), StandardCharsets.US_ASCII))
                    .isEqualTo("PGDMP");
            assertThat(dump.data().read()).as("the end stays the end").isEqualTo(-1);
            Dump.Result result = dump.finish();
            assertThat(result.toolVersion()).startsWith("pg_dump");
            assertThat(result.tables()).isNotEmpty();
            assertThat(dump.finish()).isSameAs(result);
            dump.close();
            assertThat(dump.finish())
                    .as("closing a finished dump keeps its result")
                    .isSameAs(result);
        }
    }

    @Test
    void finishingBeforeTheEndIsRefusedAsInternalAndStopsTheDump() throws IOException {
        try (Dump dump = start()) {
            assertThat(dump.data().read(new byte[10])).isPositive();
            assertThat(refused(ErrorCode.INTERNAL, dump::finish).getMessage())
                    .isEqualTo(Dump.finishedEarly().getMessage());
            // the rest of the data never ends cleanly: it was aborted
            refused(ErrorCode.CANCELLED, () -> drain(dump));
            refused(ErrorCode.CANCELLED, dump::finish);
        }
    }

    @Test
    void afterAnAbortReadingFailsAsCancelledAndNeverReachesAnEnd() throws IOException {
        try (Dump dump = start()) {
            assertThat(dump.data().read(new byte[10])).isPositive();
            dump.abort();
            dump.abort(); // safe to call again
            refused(ErrorCode.CANCELLED, () -> drain(dump));
            refused(ErrorCode.CANCELLED, () -> dump.data().read());
            refused(ErrorCode.CANCELLED, dump::finish);
        }
    }

    @Test
    void closingAnUnfinishedDumpAbortsIt() {
        Dump dump = start();
        dump.close();
        refused(ErrorCode.CANCELLED, () -> drain(dump));
        refused(ErrorCode.CANCELLED, dump::finish);
    }

    @Test
    void closingTheDataBeforeItsEndAbortsTheDump() throws IOException {
        try (Dump dump = start()) {
            InputStream data = dump.data();
            assertThat(data.read(new byte[10])).isPositive();
            data.close();
            refused(ErrorCode.INTERNAL, dump::finish);
            refused(ErrorCode.CANCELLED, () -> drain(dump));
        }
    }

    @Test
    void aFailedToolFailsTheReadAtTheLatestAtTheEndAndEveryLaterCall() {
        try (Dump dump = startFailing()) {
            refused(toolFailure(), () -> drain(dump));
            // the failure sticks: no later read or finish can make the dump look complete
            refused(toolFailure(), () -> dump.data().read());
            refused(toolFailure(), () -> dump.data().read(new byte[100]));
            refused(toolFailure(), dump::finish);
        }
    }
}

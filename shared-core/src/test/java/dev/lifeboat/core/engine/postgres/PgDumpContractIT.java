package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpContract;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.testing.ChildProcesses;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.PgClusterExtension;
import dev.lifeboat.core.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pg_dump's {@link Dump} keeps the contract the fake's does ({@code FakeDumpContractTest}),
 * against a scram-authenticated cluster; after every case no pg_dump is left running and no passfile
 * is left behind.
 */
@ExtendWith(PgClusterExtension.class)
class PgDumpContractIT extends DumpContract {
    private static String source;

    private final PgCluster pg;
    private final Path passfiles;
    private final PgDumpEngine engine;

    PgDumpContractIT(PgCluster pg, @TempDir Path passfiles) {
        this.pg = pg;
        this.passfiles = passfiles;
        this.engine = new PgDumpEngine(null, System.getenv(), passfiles);
    }

    @BeforeAll
    static void data(PgCluster pg) {
        source = SampleData.bulkDatabase(pg, "contract", 2);
    }

    @Override
    protected Dump start() {
        // uncompressed: a few MB, so a dump stopped after its first bytes is stopped mid-stream
        return engine.startDump(pg.connectionSpec(source), new DumpOptions(false, 0));
    }

    @Override
    protected Dump startFailing() {
        Dump dump = start();
        // pg_dump killed from outside (the OOM killer, an operator): it exits by signal 9, not by our abort
        try {
            ChildProcesses.await("pg_dump").destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return dump;
    }

    @AfterEach
    void noPgDumpAndNoPassfileIsLeft() throws Exception {
        for (ProcessHandle p : ChildProcesses.pgDump()) {
            assertThat(p.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        try (var files = Files.list(passfiles)) {
            assertThat(files).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

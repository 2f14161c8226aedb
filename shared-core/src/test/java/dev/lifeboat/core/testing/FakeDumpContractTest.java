package dev.lifeboat.core.testing;

import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpContract;
import dev.lifeboat.core.engine.DumpOptions;
import java.util.Map;

/** The fake engine's dump keeps {@link Dump}'s contract, as pg_dump's does ({@code PgDumpContractIT}). */
class FakeDumpContractTest extends DumpContract {
    private static final ConnectionSpec APP = new ConnectionSpec("db.test", 5432, "app", "lifeboat", null, null, null);

    private final FakeDumpEngine engine =
            new FakeDumpEngine().database("app", Map.of("accounts", 300, "ledger.entries", 500, "orders", 0));

    @Override
    protected Dump start() {
        return engine.startDump(APP, DumpOptions.defaults());
    }

    @Override
    protected Dump startFailing() {
        return engine.failDumpAfter(100).startDump(APP, DumpOptions.defaults());
    }
}

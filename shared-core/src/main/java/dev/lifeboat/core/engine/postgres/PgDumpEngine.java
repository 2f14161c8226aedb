package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.catalog.ServerInfo;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RestoreOptions;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Placeholder until the engine branch lands. */
public final class PgDumpEngine implements DumpEngine {
    public PgDumpEngine(Path pgBinDir, Map<String, String> environment) {}

    @Override
    public ServerInfo probe(ConnectionSpec source) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Dump startDump(ConnectionSpec source, DumpOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> listArchive(InputStream archive) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DatabaseState inspect(ConnectionSpec target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createDatabase(ConnectionSpec target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropDatabase(ConnectionSpec target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restore(Path archive, ConnectionSpec target, RestoreOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String toolFor(int serverMajor) {
        throw new UnsupportedOperationException();
    }
}

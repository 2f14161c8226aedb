package dev.lifeboat.core.testing;

import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a backup a test writes into a store itself (seeded listings, forged envelopes, planted
 * attack archives): by default a PostgreSQL custom-format gzip dump of the id's database, taken at the
 * id's time and finished a second later, with a made-up size and checksum. A test changes only the
 * fields that matter to it, and this is the one place that knows the order of the record's fields.
 *
 * <pre>{@code
 * Manifest m = SampleManifest.of(BackupId.generate("app", at)).label("nightly").commit(catalog, bytes);
 * }</pre>
 */
public final class SampleManifest {
    private final BackupId id;
    private int formatVersion = Manifest.FORMAT_VERSION;
    private String kind = Manifest.KIND_POSTGRESQL;
    private ServerInfo server;
    private String dumpTool = "pg_dump (PostgreSQL) 15.19";
    private String format = "custom";
    private String compression = "gzip";
    private long sizeBytes = 3;
    private String sha256 = "ab".repeat(32);
    private Instant finishedAt;
    private long durationMillis = 1000;
    private String label;
    private Map<String, String> tags = Map.of();
    private String toolVersion = "0.1.0";
    private String rowCounts = "estimate";
    private List<TableSummary> tables = List.of();
    private Manifest.Encryption encryption;
    private Manifest.DirectoryContents directory;
    private Manifest.SetRun set;

    private SampleManifest(BackupId id) {
        this.id = id;
        this.server = new ServerInfo("h", 5432, id.database(), "u", "15.19", 15);
        this.finishedAt = id.createdAt().plusSeconds(1);
    }

    /** A manifest for the backup {@code id}. */
    public static SampleManifest of(BackupId id) {
        return new SampleManifest(id);
    }

    /** A manifest with every field of {@code m} (a copy to change: the same backup id, other content...). */
    public static SampleManifest like(Manifest m) {
        SampleManifest s = new SampleManifest(m.backupId());
        s.formatVersion = m.formatVersion();
        s.kind = m.kind();
        s.server = m.server();
        s.dumpTool = m.dumpTool();
        s.format = m.format();
        s.compression = m.compression();
        s.sizeBytes = m.sizeBytes();
        s.sha256 = m.sha256();
        s.finishedAt = m.finishedAt();
        s.durationMillis = m.durationMillis();
        s.label = m.label();
        s.tags = m.tags();
        s.toolVersion = m.toolVersion();
        s.rowCounts = m.rowCounts();
        s.tables = m.tables();
        s.encryption = m.encryption();
        s.directory = m.directory();
        s.set = m.set();
        return s;
    }

    /** A manifest for a new backup of {@code database} taken at {@code at}. */
    public static SampleManifest of(String database, Instant at) {
        return of(BackupId.generate(database, at));
    }

    public SampleManifest formatVersion(int v) {
        formatVersion = v;
        return this;
    }

    /** A directory backup: kind, tar format, no server nor row counts, and what the archive holds. */
    public SampleManifest directory(Manifest.DirectoryContents contents) {
        kind = Manifest.KIND_DIRECTORY;
        format = "tar";
        server = null;
        rowCounts = null;
        directory = contents;
        return this;
    }

    public SampleManifest server(ServerInfo s) {
        server = s;
        return this;
    }

    public SampleManifest dumpTool(String tool) {
        dumpTool = tool;
        return this;
    }

    public SampleManifest compression(String c) {
        compression = c;
        return this;
    }

    /** The stored data's size and SHA-256, as the manifest claims them. */
    public SampleManifest stored(long size, String sha) {
        sizeBytes = size;
        sha256 = sha;
        return this;
    }

    /** The size and SHA-256 of {@code data}. */
    public SampleManifest stored(byte[] data) {
        return stored(data.length, Tampering.sha256(data));
    }

    /** When the backup finished, and so how long it took. */
    public SampleManifest finishedAt(Instant t) {
        finishedAt = t;
        durationMillis = t.toEpochMilli() - id.createdAt().toEpochMilli();
        return this;
    }

    public SampleManifest label(String l) {
        label = l;
        return this;
    }

    public SampleManifest tags(Map<String, String> t) {
        tags = t;
        return this;
    }

    public SampleManifest toolVersion(String v) {
        toolVersion = v;
        return this;
    }

    public SampleManifest tables(TableSummary... t) {
        tables = List.of(t);
        return this;
    }

    public Manifest build() {
        return new Manifest(
                formatVersion,
                id.value(),
                id.database(),
                kind,
                server,
                dumpTool,
                format,
                compression,
                sizeBytes,
                sha256,
                id.createdAt(),
                finishedAt,
                durationMillis,
                label,
                tags,
                toolVersion,
                rowCounts,
                tables,
                encryption,
                directory,
                set);
    }

    /** Puts {@code data} as the backup's data and commits the manifest, its size and checksum those of the data. */
    public Manifest commit(Catalog catalog, byte[] data) {
        catalog.putData(id, new ByteArrayInputStream(data));
        Manifest m = stored(data).build();
        catalog.commit(m);
        return m;
    }
}

package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manifest of a backup a test writes into a store itself (seeded listings, forged envelopes, planted
 * attack archives): by default a PostgreSQL custom-format gzip dump of the id's database, taken at the
 * id's time and finished a second later, with a made-up size and checksum. A test changes only the
 * fields that matter to it. The manifest is made from its JSON, as a stored one is read, so tests do not
 * depend on the record's constructors.
 *
 * <pre>{@code
 * Manifest m = SampleManifest.of(BackupId.generate("app", at)).label("nightly").commit(catalog, bytes);
 * }</pre>
 */
public final class SampleManifest {
    private final BackupId id;
    private final ObjectNode node;

    private SampleManifest(BackupId id, ObjectNode node) {
        this.id = id;
        this.node = node;
    }

    /** A manifest for the backup {@code id}. */
    public static SampleManifest of(BackupId id) {
        SampleManifest m = new SampleManifest(id, Json.mapper().createObjectNode());
        m.node.put("format_version", Manifest.FORMAT_VERSION);
        m.node.put("id", id.value());
        m.node.put("database", id.database());
        m.node.put("kind", Manifest.KIND_POSTGRESQL);
        m.server(new ServerInfo("h", 5432, id.database(), "u", "15.19", 15));
        m.node.put("dump_tool", "pg_dump (PostgreSQL) 15.19");
        m.node.put("format", "custom");
        m.node.put("compression", "gzip");
        m.stored(3, "ab".repeat(32));
        m.set("created_at", id.createdAt());
        m.finishedAt(id.createdAt().plusSeconds(1));
        m.node.put("tool_version", "0.1.0");
        m.node.put("row_counts", "estimate");
        return m;
    }

    /**
     * The least a manifest holds: a format, an id, its database, a checksum and a start time; every
     * other field null, zero or empty (-1 for the duration).
     */
    public static Manifest sparse(int formatVersion, String id, Instant createdAt) {
        return Manifest.builder()
                .formatVersion(formatVersion)
                .id(id)
                .database("app")
                .sha256("00")
                .createdAt(createdAt)
                .durationMillis(-1)
                .build();
    }

    /** A manifest with every field of {@code m} (a copy to change: the same backup id, other content...). */
    public static SampleManifest like(Manifest m) {
        return new SampleManifest(m.backupId(), Json.mapper().valueToTree(m));
    }

    /** A manifest for a new backup of {@code database} taken at {@code at}. */
    public static SampleManifest of(String database, Instant at) {
        return of(BackupId.generate(database, at));
    }

    /** A directory backup: kind, tar format, no server nor row counts, and what the archive holds. */
    public SampleManifest directory(Manifest.DirectoryContents contents) {
        node.put("kind", Manifest.KIND_DIRECTORY);
        node.put("format", "tar");
        node.remove("server");
        node.remove("row_counts");
        return set("directory", contents);
    }

    public SampleManifest server(ServerInfo s) {
        return set("server", s);
    }

    public SampleManifest dumpTool(String tool) {
        return set("dump_tool", tool);
    }

    public SampleManifest compression(String c) {
        return set("compression", c);
    }

    /** The stored data's size and SHA-256, as the manifest claims them. */
    public SampleManifest stored(long size, String sha) {
        node.put("size_bytes", size);
        return set("sha256", sha);
    }

    /** The size and SHA-256 of {@code data}. */
    public SampleManifest stored(byte[] data) {
        return stored(data.length, Tampering.sha256(data));
    }

    /** When the backup finished, and so how long it took. */
    public SampleManifest finishedAt(Instant t) {
        node.put("duration_millis", t.toEpochMilli() - id.createdAt().toEpochMilli());
        return set("finished_at", t);
    }

    public SampleManifest label(String l) {
        return set("label", l);
    }

    public SampleManifest tags(Map<String, String> t) {
        return set("tags", t);
    }

    public SampleManifest toolVersion(String v) {
        return set("tool_version", v);
    }

    public SampleManifest tables(TableSummary... t) {
        return set("tables", List.of(t));
    }

    /** Any field, by its name in manifest.json, as Lifeboat's JSON mapper writes {@code value}. */
    public SampleManifest set(String field, Object value) {
        node.set(field, Json.mapper().valueToTree(value));
        return this;
    }

    /** The manifest, read from its JSON as Lifeboat reads a stored one. */
    public Manifest build() {
        return Json.mapper().treeToValue(node, Manifest.class);
    }

    /** Puts {@code data} as the backup's data and commits the manifest, its size and checksum those of the data. */
    public Manifest commit(Catalog catalog, byte[] data) {
        catalog.putData(id, new ByteArrayInputStream(data));
        Manifest m = stored(data).build();
        catalog.commit(m);
        return m;
    }
}

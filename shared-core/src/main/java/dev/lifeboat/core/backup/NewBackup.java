package dev.lifeboat.core.backup;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup being taken, whatever its source (a database, a directory): its id, start time, store,
 * the user's label and tags, its set run and its audit line. Its manifest is derived the same way for
 * every source, and {@link #commit} writes it last, so a backup is listed only once it is complete.
 */
final class NewBackup {
    private static final Logger LOG = LoggerFactory.getLogger(NewBackup.class);

    private final LifeboatContext ctx;
    private final String source;
    private final StoreConfig store;
    private final String label;
    private final Map<String, String> tags;
    private final Manifest.SetRun set;
    private final OperationContext context;
    private final Instant started;
    private final BackupId id;
    private final AuditLog.Entry audit;
    /** Where the data went, once it is stored: what {@link #failed} removes. */
    private Catalog storedIn;

    /** Starts a backup of the configured source {@code source} into {@code store}, now. */
    NewBackup(
            LifeboatContext ctx,
            String source,
            StoreConfig store,
            String label,
            Map<String, String> tags,
            Manifest.SetRun set,
            OperationContext context) {
        this.ctx = ctx;
        this.source = source;
        this.store = store;
        this.label = label;
        this.tags = tags;
        this.set = set;
        this.context = context;
        this.started = ctx.now();
        this.id = BackupId.generate(source, started);
        this.audit = AuditLog.Entry.start(started, context, "create").about(id.value(), source, store.name());
        // before anything is dumped or stored: a killed run stays visible as started, never finished
        ctx.audit().write(audit.started());
    }

    BackupId id() {
        return id;
    }

    /**
     * The manifest of the stored data {@code up}, finished now: what every backup records, plus what
     * its source adds ({@code kind} to {@code directory}, as {@link Manifest} describes them).
     */
    Manifest manifest(
            DataUpload.Stored up,
            Encryption encryption,
            String kind,
            ServerInfo server,
            String dumpTool,
            String format,
            String compression,
            String rowCounts,
            List<TableSummary> tables,
            Manifest.DirectoryContents directory) {
        Instant finished = ctx.now();
        return Manifest.builder()
                .formatVersion(Manifest.formatFor(kind, compression))
                .id(id.value())
                .database(source)
                .kind(kind)
                .server(server)
                .dumpTool(dumpTool)
                .format(format)
                .compression(compression)
                .sizeBytes(up.info().size())
                .sha256(up.sha256())
                .createdAt(started)
                .finishedAt(finished)
                .durationMillis(Duration.between(started, finished).toMillis())
                .label(label)
                .tags(tags)
                .toolVersion(Version.get())
                .rowCounts(rowCounts)
                .tables(tables)
                .encryption(
                        encryption == null
                                ? null
                                : new Manifest.Encryption(
                                        "age", encryption.recipients().keys()))
                .directory(directory)
                .set(set)
                .build();
    }

    /** Commits {@code manifest}, unless the caller cancelled: from here on the backup is listed. */
    BackupRecord commit(Catalog catalog, Manifest manifest) {
        context.cancel().throwIfCancelled();
        catalog.commit(manifest);
        long size = manifest.sizeBytes();
        context.progress().report(size, size, "backup " + id + " committed");
        ctx.audit().write(audit.ok(size, null));
        return new BackupRecord(store.name(), manifest);
    }

    /**
     * Stores the backup's data: {@code data} through {@link DataUpload} (encrypted when {@code
     * encryption} is given, hashed, create-only), its progress reported as {@code doing}.
     */
    DataUpload.Stored upload(Catalog catalog, InputStream data, Encryption encryption, String doing, String what) {
        return upload(catalog, data, encryption, n -> context.progress().report(n, -1, doing), what);
    }

    /** As {@link #upload(Catalog, InputStream, Encryption, String, String)}, telling {@code written} the bytes stored. */
    DataUpload.Stored upload(
            Catalog catalog,
            InputStream data,
            Encryption encryption,
            java.util.function.LongConsumer written,
            String what) {
        DataUpload.Stored up = DataUpload.put(catalog, id, data, encryption, context.cancel(), written, what);
        storedIn = catalog;
        return up;
    }

    /**
     * What to throw when the backup failed with {@code e}: its data is removed if it was stored (a
     * failure to is only logged), and a Lifeboat error is audited as the outcome (CANCELLED when the
     * caller cancelled).
     */
    RuntimeException failed(RuntimeException e) {
        if (storedIn != null) {
            try {
                storedIn.discardData(id);
            } catch (LifeboatException discard) {
                LOG.warn("could not remove the data of failed backup {}: {}", id, discard.getMessage());
            }
        }
        return e instanceof LifeboatException le ? ctx.failed(audit, le, context) : e;
    }
}

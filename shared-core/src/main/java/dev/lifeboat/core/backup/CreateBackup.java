package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.TerminalText;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.RowCounts;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RolesDump;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a backup of a configured database or directory (they share one namespace) into a store:
 * checks the label and tags, then streams the source through compression, encryption and SHA-256
 * into the store and commits the manifest last, so a half-written backup is never listed. A
 * failure or cancel removes what was stored and leaves an audit line.
 */
public final class CreateBackup {
    private static final Logger LOG = LoggerFactory.getLogger(CreateBackup.class);

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final LifeboatContext ctx;
    private final DirectoryBackup directories;

    public CreateBackup(LifeboatContext ctx) {
        this.ctx = ctx;
        this.directories = new DirectoryBackup(ctx);
    }

    public BackupRecord create(CreateBackupRequest request, Manifest.SetRun set, OperationContext context) {
        CreateBackupRequest checked = checked(request);
        if (checked.database() != null && ctx.config().directories().containsKey(checked.database())) {
            return directories.create(ctx.config().directory(checked.database()), checked, set, context);
        }
        DatabaseConfig db = ctx.config().database(checked.database());
        return database(db, db.dbname(), checked, set, context);
    }

    /**
     * A backup of database {@code dbname} on {@code db}'s server, recorded as a backup of {@code db}:
     * what a clean restore takes of its target (which may be another name than the entry's own)
     * before it touches it.
     */
    public BackupRecord safetyCopy(
            DatabaseConfig db, String dbname, String label, Map<String, String> tags, OperationContext context) {
        return database(db, dbname, checked(new CreateBackupRequest(db.name(), null, label, tags)), null, context);
    }

    /** {@code request} with its label and tags checked: what a source's own backup method is given. */
    private static CreateBackupRequest checked(CreateBackupRequest request) {
        return new CreateBackupRequest(
                request.database(),
                request.store(),
                checkLabel(request.label()),
                checkTags(request.tags()),
                request.compression());
    }

    private BackupRecord database(
            DatabaseConfig db,
            String dbname,
            CreateBackupRequest request,
            Manifest.SetRun set,
            OperationContext context) {
        StoreConfig sc = ctx.config().storeFor(db, request.store());
        CompressionSetting compression =
                CompressionSetting.choose(request.compression(), db.compression(), sc.compression());
        NewBackup backup = new NewBackup(ctx, db.name(), sc, request.label(), request.tags(), set, context);
        Catalog[] rolesIn = new Catalog[1];
        try {
            context.cancel().throwIfCancelled();
            ConnectionSpec spec = ctx.passwords().connect(db).withDatabase(dbname);
            Catalog catalog = new Catalog(ctx.store(sc));
            context.progress().report(0, -1, "connecting to " + spec.describe());
            // measured in the database's table sizes while pg_dump runs, with the bytes written so far
            DumpProgressView progress = new DumpProgressView(context.progress(), "dumping " + db.name());
            try (DumpEngine engine = ctx.engine(db);
                    Dump dump = engine.startDump(
                            spec,
                            new DumpOptions(db.rowCounts() == RowCounts.EXACT, compression.pgDumpLevel())
                                    .withProgress(progress));
                    CancelSignal.Registration r = context.cancel().onCancel(dump::abort);
                    // closed in every outcome: the zstd stage holds a native context and worker threads
                    CompressionSetting.Encoded archive = compression.encode(dump.data())) {
                // pg_dump -> [zstd] -> [age] -> SHA-256 -> store
                Encryption encryption = ctx.encryptionFor(sc);
                DataUpload.Stored up = backup.upload(catalog, archive.stream(), encryption, progress, "dump");
                Dump.Result result = dump.finish();
                ServerInfo server = dump.server();
                if (encryption == null && !(compression.method().inPipe() ? up.zstdMagic() : up.customArchiveMagic())) {
                    throw new LifeboatException(
                            ErrorCode.TOOL_FAILED, "pg_dump did not write a custom-format archive", null);
                }
                String storedAs =
                        compression.method().inPipe() ? compression.method().id() : result.compression();
                Manifest.Roles roles = null;
                if (db.keepRoles()) {
                    rolesIn[0] = catalog;
                    roles = keepRoles(engine, spec, catalog, backup.id(), encryption);
                }
                Manifest manifest = backup.manifest(
                        up,
                        encryption,
                        Manifest.KIND_POSTGRESQL,
                        server,
                        result.toolVersion(),
                        "custom",
                        storedAs,
                        result.exactRowCounts() ? "exact" : "estimate",
                        result.tables(),
                        null);
                return backup.commit(catalog, roles == null ? manifest : manifest.withRoles(roles));
            }
        } catch (RuntimeException e) {
            if (rolesIn[0] != null) {
                try {
                    rolesIn[0].discardRoles(backup.id());
                } catch (RuntimeException cleanup) {
                    LOG.warn("could not remove the roles of failed backup {}: {}", backup.id(), cleanup.getMessage());
                }
            }
            throw backup.failed(e);
        }
    }

    /**
     * Stores the roles the database needs beside its data ({@code globals: roles}), encrypted like the
     * data, and describes them for the manifest.
     */
    private static Manifest.Roles keepRoles(
            DumpEngine engine, ConnectionSpec spec, Catalog catalog, BackupId id, Encryption encryption) {
        RolesDump roles = engine.roles(spec);
        InputStream plain = new ByteArrayInputStream(roles.script().getBytes(StandardCharsets.UTF_8));
        HashingInputStream data =
                new HashingInputStream(encryption == null ? plain : encryption.encrypting(plain), n -> {});
        ObjectInfo info = catalog.putRoles(id, data);
        if (info.size() != data.count()) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "the store kept " + info.size() + " bytes of the " + data.count() + "-byte roles file",
                    "check the store's free space and retry");
        }
        return new Manifest.Roles(info.size(), data.sha256(), roles.roles());
    }

    private static String checkLabel(String label) {
        if (label == null || label.isBlank()) {
            return null;
        }
        if (label.length() > 200
                || label.chars().anyMatch(c -> Character.isISOControl(c) || TerminalText.unsafe((char) c))) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid label: at most 200 characters, no control or formatting characters",
                    null);
        }
        return label;
    }

    private static Map<String, String> checkTags(Map<String, String> tags) {
        if (tags.size() > 32) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "too many tags (" + tags.size() + "; at most 32)", null);
        }
        tags.forEach((k, v) -> {
            if (k == null || !TAG_KEY.matcher(k).matches()) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "invalid tag key '" + k + "'",
                        "tag keys are 1-63 letters, digits, '_', '.' or '-'");
            }
            if (v == null
                    || v.length() > 200
                    || v.chars().anyMatch(c -> Character.isISOControl(c) || TerminalText.unsafe((char) c))) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "invalid value for tag '" + k + "': at most 200 characters, no control characters",
                        null);
            }
        });
        return tags;
    }
}

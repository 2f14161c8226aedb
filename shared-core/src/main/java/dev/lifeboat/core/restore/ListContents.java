package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.TableSummary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lists what a database backup holds, so a user or an agent can choose tables and schemas for a
 * selective restore. Only the head of the stored archive is read (a custom archive's table of
 * contents comes first), decrypted and decompressed on the way; the checksum of the whole is what
 * verify and restore check.
 */
public final class ListContents {
    /** Entries that are parts of another object or settings, not objects of their own to count. */
    private static final Set<String> NOT_COUNTED = Set.of(
            "TABLE",
            "FOREIGN TABLE",
            "VIEW",
            "MATERIALIZED VIEW",
            "TABLE DATA",
            "MATERIALIZED VIEW DATA",
            "SEQUENCE SET",
            "SEQUENCE OWNED BY",
            "ENCODING",
            "STDSTRINGS",
            "SEARCHPATH",
            "DATABASE",
            "DATABASE PROPERTIES",
            "COMMENT",
            "ACL",
            "SCHEMA");

    private final LifeboatContext ctx;

    public ListContents(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    public BackupContents contents(String backupId, String store, OperationContext context) {
        BackupRecord rec = ctx.getReadable(backupId, store);
        Manifest m = rec.manifest();
        if (m.ofDirectory()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a directory backup: its files are listed in its manifest",
                    "show the backup without asking for its contents (" + Remedy.LIST_BACKUPS + ")");
        }
        ArchiveToc toc;
        try (DumpEngine engine = ctx.engine(ctx.config().databases().get(m.database()));
                StoredArchive archive = StoredArchive.open(
                        ctx.catalog(rec.store()), m, ctx.identityFor(rec), context.cancel(), context.progress());
                InputStream plain = archive.plain()) {
            toc = engine.tableOfContents(plain);
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE, "cannot read backup " + m.id() + ": " + e.getMessage(), null, e);
        }
        return summarize(rec, toc);
    }

    /** The listing in the terms a selection uses. */
    static BackupContents summarize(BackupRecord rec, ArchiveToc toc) {
        Manifest m = rec.manifest();
        Map<String, TableSummary> recorded = new HashMap<>();
        m.tables().forEach(t -> recorded.put(t.qualifiedName(), t));
        Set<String> schemas = new TreeSet<>();
        List<TableSummary> tables = new ArrayList<>();
        List<String> views = new ArrayList<>();
        Map<String, Integer> objects = new TreeMap<>();
        for (ArchiveToc.Entry e : toc.entries()) {
            if (e.kind().equals("SCHEMA")) {
                schemas.add(e.name());
            } else if (e.schema() != null
                    && !e.kind().equals("ACL")
                    && !e.kind().equals("COMMENT")) {
                schemas.add(e.schema());
            }
            switch (e.kind()) {
                case "TABLE", "FOREIGN TABLE" ->
                    tables.add(recorded.getOrDefault(
                            e.qualifiedName(), new TableSummary(e.schema(), e.name(), -1, false)));
                case "VIEW", "MATERIALIZED VIEW" -> views.add(e.qualifiedName());
                default -> {
                    if (!NOT_COUNTED.contains(e.kind())) {
                        objects.merge(e.kind().toLowerCase(Locale.ROOT), 1, Integer::sum);
                    }
                }
            }
        }
        return new BackupContents(m.id(), rec.store(), m.database(), List.copyOf(schemas), tables, views, objects);
    }
}

package dev.lifeboat.core.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The self-describing record stored beside every backup's data as {@code manifest.json}, written
 * last as the commit marker. It carries everything list, verify and restore need without the
 * database or the configuration that made it.
 *
 * @param formatVersion the manifest format, for readers of older or newer backups
 * @param id the backup id
 * @param database the configured database name the backup was taken from
 * @param kind the source kind, "postgresql"
 * @param server the source server (no password)
 * @param dumpTool the tool and version that wrote the data, e.g. "pg_dump (PostgreSQL) 15.19"
 * @param format the archive format, "custom" (pg_dump -Fc)
 * @param compression how the archive is compressed, e.g. "gzip" (pg_dump's default) or "none"
 * @param sizeBytes the size of the stored data object
 * @param sha256 the SHA-256 of the stored data object, lower-case hex
 * @param createdAt when the dump started
 * @param finishedAt when the data was committed to the store
 * @param durationMillis the wall time of the dump
 * @param label a free-text label given by the user, or null
 * @param tags user tags (key to value)
 * @param toolVersion the Lifeboat version that wrote the backup
 * @param rowCounts "estimate" or "exact": how {@code tables} counted rows
 * @param tables the tables in the backup, with row counts, for later restore drills
 * @param encryption how the stored data is encrypted, or null when it is not; the SHA-256 and size
 *     are of the stored (encrypted) bytes, so checksum verification needs no key
 */
public record Manifest(
        int formatVersion,
        String id,
        String database,
        String kind,
        ServerInfo server,
        String dumpTool,
        String format,
        String compression,
        long sizeBytes,
        String sha256,
        Instant createdAt,
        Instant finishedAt,
        long durationMillis,
        String label,
        Map<String, String> tags,
        String toolVersion,
        String rowCounts,
        List<TableSummary> tables,
        Encryption encryption) {

    public static final int FORMAT_VERSION = 1;

    /**
     * Client-side encryption of a backup.
     *
     * @param format "age" (age-encryption.org/v1)
     * @param recipients the public keys it was encrypted to: any matching identity decrypts it
     */
    public record Encryption(String format, List<String> recipients) {
        public Encryption {
            recipients = List.copyOf(recipients);
        }
    }

    public Manifest {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public BackupId backupId() {
        return BackupId.parse(id);
    }
}

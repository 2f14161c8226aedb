package dev.lifeboat.core.catalog;

import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The self-describing record stored beside every backup's data as {@code manifest.json}, written
 * last as the commit marker. It carries everything list, verify and restore need without the
 * database or the configuration that made it.
 *
 * @param formatVersion the manifest format: {@link #FORMAT_VERSION} for a database backup any Lifeboat
 *     restores, {@link #FORMAT_V2} when reading it needs a Lifeboat that knows source kinds and its own
 *     compression (see {@link #formatFor}); a reader refuses a format newer than {@link #NEWEST_FORMAT}
 * @param id the backup id
 * @param database the configured source name the backup was taken from: a database, or a directory
 *     (kind "directory"); both share one namespace
 * @param kind the source kind, {@link #KIND_POSTGRESQL} or {@link #KIND_DIRECTORY}
 * @param server the source server (no password); null for a directory
 * @param dumpTool the tool and version that wrote the data, e.g. "pg_dump (PostgreSQL) 15.19"
 * @param format the archive format, "custom" (pg_dump -Fc) or "tar" (POSIX pax, for a directory)
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
 * @param directory what a directory backup holds (null for a database backup)
 * @param set the set run this backup was taken in ({@code lifeboat backup create --set}), or null
 * @param roles the cluster roles the database needs, stored beside the data as {@code roles.sql}
 *     ({@code globals: roles}), or null when the backup keeps none; an older Lifeboat ignores it and
 *     restores the data as before
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
        Encryption encryption,
        DirectoryContents directory,
        SetRun set,
        Roles roles) {

    /** A PostgreSQL backup whose stored archive pg_restore reads as it is (gzip or none): every Lifeboat reads it. */
    public static final int FORMAT_VERSION = 1;

    /**
     * A backup an older Lifeboat would misread (it took every backup for a plain custom-format dump):
     * a directory's tar, or an archive Lifeboat compressed itself (zstd).
     */
    public static final int FORMAT_V2 = 2;

    /** The newest manifest format this version reads. */
    public static final int NEWEST_FORMAT = FORMAT_V2;

    public static final String KIND_POSTGRESQL = "postgresql";
    public static final String KIND_DIRECTORY = "directory";

    /**
     * What a directory backup's tar archive holds, counted while it was written.
     *
     * @param path the directory that was archived
     * @param entries tar entries (files + directories + symlinks), what verify --level archive expects
     * @param files regular files
     * @param directories directories, the archived directory itself ({@code ./}) included
     * @param symlinks symbolic links (stored as links, never followed)
     * @param fileBytes bytes of file content (before encryption)
     * @param skipped entries left out: sockets, FIFOs, devices, files removed while archiving
     * @param changed files that shrank while they were archived (padded with zeros, as GNU tar does)
     * @param excludes the configured exclude patterns the archive was written with
     * @param excluded entries those patterns left out (an excluded directory counts once)
     */
    public record DirectoryContents(
            String path,
            long entries,
            long files,
            long directories,
            long symlinks,
            long fileBytes,
            long skipped,
            long changed,
            List<String> excludes,
            long excluded) {
        public DirectoryContents {
            excludes = excludes == null ? List.of() : List.copyOf(excludes);
        }
    }

    /**
     * Membership in a set run: every backup taken by one {@code backup create --set NAME} shares {@code run}.
     *
     * @param name the configured set
     * @param run the run's id ({@code <set>-<time>-<rand>})
     */
    public record SetRun(String name, String run) {}

    /**
     * The roles object of a backup that keeps them.
     *
     * @param sizeBytes the size of the stored object (encrypted like the data when the store encrypts)
     * @param sha256 its SHA-256, lower-case hex
     * @param names the roles it creates, sorted
     */
    public record Roles(long sizeBytes, String sha256, List<String> names) {
        public Roles {
            names = names == null ? List.of() : List.copyOf(names);
        }
    }

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

    /** This manifest as a member of a set run. */
    public Manifest withSet(SetRun run) {
        return toBuilder().set(run).build();
    }

    /** This manifest with the roles stored beside its data. */
    public Manifest withRoles(Roles kept) {
        return toBuilder().roles(kept).build();
    }

    /** A manifest to fill component by component; what is not set stays null, zero or empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every component of this manifest, to make a copy that differs in a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.formatVersion = formatVersion;
        b.id = id;
        b.database = database;
        b.kind = kind;
        b.server = server;
        b.dumpTool = dumpTool;
        b.format = format;
        b.compression = compression;
        b.sizeBytes = sizeBytes;
        b.sha256 = sha256;
        b.createdAt = createdAt;
        b.finishedAt = finishedAt;
        b.durationMillis = durationMillis;
        b.label = label;
        b.tags = tags;
        b.toolVersion = toolVersion;
        b.rowCounts = rowCounts;
        b.tables = tables;
        b.encryption = encryption;
        b.directory = directory;
        b.set = set;
        b.roles = roles;
        return b;
    }

    /**
     * The format a new manifest of this {@code kind} and {@code compression} is written with: the
     * oldest format whose readers restore it correctly, so plain gzip dumps stay readable by every
     * Lifeboat and only backups that need the new readers carry {@link #FORMAT_V2}.
     */
    public static int formatFor(String kind, String compression) {
        boolean plainDump = !KIND_DIRECTORY.equals(kind) && !"zstd".equals(compression);
        return plainDump ? FORMAT_VERSION : FORMAT_V2;
    }

    /** Whether this version of Lifeboat understands the manifest's format (it is not from a newer Lifeboat). */
    public boolean readable() {
        return formatVersion <= NEWEST_FORMAT;
    }

    /**
     * Refuses a backup written by a newer Lifeboat, before anything reads its data: its data may need
     * a step this version does not know, and guessing would fail later with a confusing message.
     */
    public void requireReadable() {
        if (!readable()) {
            throw new dev.lifeboat.core.base.LifeboatException(
                    dev.lifeboat.core.base.ErrorCode.TOOL_VERSION,
                    "backup " + id + " was written by a newer Lifeboat (manifest format " + formatVersion
                            + "; this version reads formats up to " + NEWEST_FORMAT + "); upgrade to read it",
                    "install a newer Lifeboat (its tool_version is " + toolVersion + "); nothing was changed");
        }
    }

    /** Whether this is a directory backup (a tar archive) rather than a database dump. */
    public boolean ofDirectory() {
        return KIND_DIRECTORY.equals(kind);
    }

    public BackupId backupId() {
        return BackupId.parse(id);
    }

    /**
     * The components of a manifest, set by name: the readers learn them one field at a time, and a copy
     * changes a few, where 22 arguments in order were easy to shift by one unnoticed. {@link #build}
     * passes them to the canonical constructor, so a new component fails to compile here; the readers
     * that must set it are caught by the tests that fill every component ({@code ManifestCodecTest},
     * {@code ManifestJsonTest}).
     */
    public static final class Builder {
        private int formatVersion;
        private String id;
        private String database;
        private String kind;
        private ServerInfo server;
        private String dumpTool;
        private String format;
        private String compression;
        private long sizeBytes;
        private String sha256;
        private Instant createdAt;
        private Instant finishedAt;
        private long durationMillis;
        private String label;
        private Map<String, String> tags;
        private String toolVersion;
        private String rowCounts;
        private List<TableSummary> tables;
        private Encryption encryption;
        private DirectoryContents directory;
        private SetRun set;
        private Roles roles;

        private Builder() {}

        public Builder formatVersion(int formatVersion) {
            this.formatVersion = formatVersion;
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder server(ServerInfo server) {
            this.server = server;
            return this;
        }

        public Builder dumpTool(String dumpTool) {
            this.dumpTool = dumpTool;
            return this;
        }

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder compression(String compression) {
            this.compression = compression;
            return this;
        }

        public Builder sizeBytes(long sizeBytes) {
            this.sizeBytes = sizeBytes;
            return this;
        }

        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        public Builder durationMillis(long durationMillis) {
            this.durationMillis = durationMillis;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder toolVersion(String toolVersion) {
            this.toolVersion = toolVersion;
            return this;
        }

        public Builder rowCounts(String rowCounts) {
            this.rowCounts = rowCounts;
            return this;
        }

        public Builder tables(List<TableSummary> tables) {
            this.tables = tables;
            return this;
        }

        public Builder encryption(Encryption encryption) {
            this.encryption = encryption;
            return this;
        }

        public Builder directory(DirectoryContents directory) {
            this.directory = directory;
            return this;
        }

        public Builder set(SetRun set) {
            this.set = set;
            return this;
        }

        public Builder roles(Roles roles) {
            this.roles = roles;
            return this;
        }

        public Manifest build() {
            return new Manifest(
                    formatVersion,
                    id,
                    database,
                    kind,
                    server,
                    dumpTool,
                    format,
                    compression,
                    sizeBytes,
                    sha256,
                    createdAt,
                    finishedAt,
                    durationMillis,
                    label,
                    tags,
                    toolVersion,
                    rowCounts,
                    tables,
                    encryption,
                    directory,
                    set,
                    roles);
        }
    }
}

package dev.lifeboat.core.config;

import dev.lifeboat.core.compress.CompressionSetting;
import java.nio.file.Path;

/**
 * One configured database. Never holds a password: only where one comes from.
 *
 * @param name the configured name (used in backup ids and store keys)
 * @param host host, IP, or Unix socket directory
 * @param port port
 * @param dbname database name on the server
 * @param user login role
 * @param sslmode libpq sslmode, or null for the default
 * @param passwordEnv the environment variable that holds the password, or null
 * @param passwordFile a file (0600) whose content is the password, or null
 * @param passfile a libpq passfile (PGPASSFILE format, 0600), or null
 * @param passwordFromPgEnv take the password from PGPASSWORD (the embedded default only)
 * @param rowCounts how to count rows for the manifest
 * @param store the store this database's backups go to by default, or null for the global default
 * @param pgBinDir a directory holding pg_dump/pg_restore to use instead of searching, or null
 * @param drillTarget the configured database whose server hosts restore drills' scratch databases,
 *     or null for this database's own server
 * @param retention how many backups prune keeps, or null to use the store's policy
 * @param compression how this database's backups are compressed, or null for the store's setting
 * @param restoreJobs pg_restore's parallel jobs when restoring into a new database on this
 *     database's server, or 0 for the global default
 * @param keepPrevious how long a restore that replaces this database keeps the database it replaced
 *     (for undo); zero keeps none
 * @param restoreLockTimeout how long a clean restore over this database waits for a lock the
 *     application holds before it gives up and rolls back
 * @param keepRoles {@code globals: roles}: each backup also keeps the cluster roles the database's
 *     objects need (without passwords), so it restores onto a brand-new server with its owners
 */
public record DatabaseConfig(
        String name,
        String host,
        int port,
        String dbname,
        String user,
        String sslmode,
        String passwordEnv,
        Path passwordFile,
        Path passfile,
        boolean passwordFromPgEnv,
        RowCounts rowCounts,
        String store,
        Path pgBinDir,
        String drillTarget,
        dev.lifeboat.core.retention.RetentionPolicy retention,
        CompressionSetting compression,
        int restoreJobs,
        java.time.Duration keepPrevious,
        java.time.Duration restoreLockTimeout,
        boolean keepRoles) {

    /** An entry made in code without the two durations gets their defaults, so no reader checks for null. */
    public DatabaseConfig {
        keepPrevious = keepPrevious == null ? DEFAULT_KEEP_PREVIOUS : keepPrevious;
        restoreLockTimeout = restoreLockTimeout == null ? DEFAULT_RESTORE_LOCK_TIMEOUT : restoreLockTimeout;
    }

    /** What {@code keep_previous} is when not set: a day, long enough to notice a bad restore. */
    public static final java.time.Duration DEFAULT_KEEP_PREVIOUS = java.time.Duration.ofHours(24);

    /** What {@code restore_lock_timeout} is when not set. */
    public static final java.time.Duration DEFAULT_RESTORE_LOCK_TIMEOUT = java.time.Duration.ofSeconds(30);

    /** This entry with {@code globals: roles} (a set it belongs to asks for it). */
    public DatabaseConfig keepingRoles() {
        return toBuilder().keepRoles(true).build();
    }

    /** An entry to fill setting by setting; what is not set is null, zero or false (the durations: their defaults). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every setting of this entry, to make a copy that differs in a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.host = host;
        b.port = port;
        b.dbname = dbname;
        b.user = user;
        b.sslmode = sslmode;
        b.passwordEnv = passwordEnv;
        b.passwordFile = passwordFile;
        b.passfile = passfile;
        b.passwordFromPgEnv = passwordFromPgEnv;
        b.rowCounts = rowCounts;
        b.store = store;
        b.pgBinDir = pgBinDir;
        b.drillTarget = drillTarget;
        b.retention = retention;
        b.compression = compression;
        b.restoreJobs = restoreJobs;
        b.keepPrevious = keepPrevious;
        b.restoreLockTimeout = restoreLockTimeout;
        b.keepRoles = keepRoles;
        return b;
    }

    /**
     * The settings of an entry, set by name: the configuration reader and the embedded default learn
     * them one at a time, where 20 arguments in order were easy to shift by one unnoticed.
     */
    public static final class Builder {
        private String name;
        private String host;
        private int port;
        private String dbname;
        private String user;
        private String sslmode;
        private String passwordEnv;
        private Path passwordFile;
        private Path passfile;
        private boolean passwordFromPgEnv;
        private RowCounts rowCounts;
        private String store;
        private Path pgBinDir;
        private String drillTarget;
        private dev.lifeboat.core.retention.RetentionPolicy retention;
        private CompressionSetting compression;
        private int restoreJobs;
        private java.time.Duration keepPrevious;
        private java.time.Duration restoreLockTimeout;
        private boolean keepRoles;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dbname(String dbname) {
            this.dbname = dbname;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder sslmode(String sslmode) {
            this.sslmode = sslmode;
            return this;
        }

        public Builder passwordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
            return this;
        }

        public Builder passwordFile(Path passwordFile) {
            this.passwordFile = passwordFile;
            return this;
        }

        public Builder passfile(Path passfile) {
            this.passfile = passfile;
            return this;
        }

        public Builder passwordFromPgEnv(boolean passwordFromPgEnv) {
            this.passwordFromPgEnv = passwordFromPgEnv;
            return this;
        }

        public Builder rowCounts(RowCounts rowCounts) {
            this.rowCounts = rowCounts;
            return this;
        }

        public Builder store(String store) {
            this.store = store;
            return this;
        }

        public Builder pgBinDir(Path pgBinDir) {
            this.pgBinDir = pgBinDir;
            return this;
        }

        public Builder drillTarget(String drillTarget) {
            this.drillTarget = drillTarget;
            return this;
        }

        public Builder retention(dev.lifeboat.core.retention.RetentionPolicy retention) {
            this.retention = retention;
            return this;
        }

        public Builder compression(CompressionSetting compression) {
            this.compression = compression;
            return this;
        }

        public Builder restoreJobs(int restoreJobs) {
            this.restoreJobs = restoreJobs;
            return this;
        }

        public Builder keepPrevious(java.time.Duration keepPrevious) {
            this.keepPrevious = keepPrevious;
            return this;
        }

        public Builder restoreLockTimeout(java.time.Duration restoreLockTimeout) {
            this.restoreLockTimeout = restoreLockTimeout;
            return this;
        }

        public Builder keepRoles(boolean keepRoles) {
            this.keepRoles = keepRoles;
            return this;
        }

        public DatabaseConfig build() {
            return new DatabaseConfig(
                    name,
                    host,
                    port,
                    dbname,
                    user,
                    sslmode,
                    passwordEnv,
                    passwordFile,
                    passfile,
                    passwordFromPgEnv,
                    rowCounts,
                    store,
                    pgBinDir,
                    drillTarget,
                    retention,
                    compression,
                    restoreJobs,
                    keepPrevious,
                    restoreLockTimeout,
                    keepRoles);
        }
    }
}

package dev.lifeboat.core.context;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.catalog.ManifestCache;
import dev.lifeboat.core.config.ApprovalMode;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.AgeRecipients;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.store.BackupStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What every use case needs from the running service: the configuration, the stores (opened once
 * and shared), the dump engines, passwords and keys, the confirmations and the audit log, and the
 * clock. Use cases take this instead of the facade, so none of them imports another's entry point.
 */
public final class LifeboatContext implements AutoCloseable {
    private final LifeboatConfig config;
    private final Function<DatabaseConfig, DumpEngine> engines;
    private final Function<StoreConfig, BackupStore> storeOpener;
    private final PasswordSources passwords;
    private final Confirmations confirmations;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, BackupStore> stores = new ConcurrentHashMap<>();

    /**
     * @param engines the dump engine for a configured database (called with null when only archive
     *     tools are needed and the backup's database is not configured here)
     * @param storeOpener opens a configured store
     */
    public LifeboatContext(
            LifeboatConfig config,
            Function<DatabaseConfig, DumpEngine> engines,
            Function<StoreConfig, BackupStore> storeOpener,
            PasswordSources passwords,
            Clock clock) {
        this.config = config;
        this.engines = engines;
        this.storeOpener = storeOpener;
        this.passwords = passwords;
        this.clock = clock;
        this.confirmations = new Confirmations(config.stateDir(), clock, config.approval() == ApprovalMode.OPERATOR);
        this.audit = new AuditLog(config.stateDir().resolve("audit.jsonl"));
    }

    public LifeboatConfig config() {
        return config;
    }

    public PasswordSources passwords() {
        return passwords;
    }

    public AuditLog audit() {
        return audit;
    }

    public Confirmations confirmations() {
        return confirmations;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** A new dump engine for {@code db} (null: archive tools only); the caller closes it. */
    public DumpEngine engine(DatabaseConfig db) {
        return engines.apply(db);
    }

    /** The configured store, opened once and shared by every use case until {@link #close}. */
    public BackupStore store(StoreConfig sc) {
        return stores.computeIfAbsent(sc.name(), n -> storeOpener.apply(sc));
    }

    /** The catalog of a configured store, by name. */
    public Catalog catalog(String store) {
        return new Catalog(store(config.store(store)));
    }

    /** The catalog for listings: unchanged manifests come from the local cache in state_dir. */
    public Catalog listing(StoreConfig sc) {
        BackupStore s = store(sc);
        return new Catalog(s, ManifestCache.in(config.stateDir(), s));
    }

    /** The named store, or every configured store when {@code store} is null. */
    public List<StoreConfig> storesOrAll(String store) {
        return store != null
                ? List.of(config.store(store))
                : List.copyOf(config.stores().values());
    }

    /** One backup's manifest; NOT_FOUND if no store holds it. */
    public BackupRecord get(String backupId, String store) {
        BackupId id = BackupId.parse(backupId);
        for (StoreConfig sc : storesOrAll(store)) {
            Optional<Manifest> m = new Catalog(store(sc)).find(id);
            if (m.isPresent()) {
                return new BackupRecord(sc.name(), m.get());
            }
        }
        throw new LifeboatException(
                ErrorCode.NOT_FOUND,
                "no backup '" + id + "' in " + (store != null ? "store '" + store + "'" : "any configured store"),
                Remedy.LIST_BACKUPS + " to see the backups there are");
    }

    /**
     * {@link #get}, refusing (TOOL_VERSION) a backup written by a newer Lifeboat: reading its data may
     * need a step this version does not know, so verify, restore and copy stop before touching it.
     */
    public BackupRecord getReadable(String backupId, String store) {
        BackupRecord rec = get(backupId, store);
        rec.manifest().requireReadable();
        return rec;
    }

    /**
     * Writes the audit line of an operation that failed with {@code e} and returns what the use case
     * throws: the cancellation when the caller cancelled (whatever failed because of it), else {@code e}.
     */
    public LifeboatException failed(AuditLog.Entry entry, LifeboatException e, OperationContext context) {
        LifeboatException out = context.cancel().isCancelled() ? LifeboatException.cancelled(e) : e;
        audit.write(entry.error(out));
        return out;
    }

    /** A single-use token for a destructive plan, with the configured lifetime and approval mode. */
    public Confirmation issue(PlanBinding binding) {
        return confirmations.issue(binding, config.tokenTtl(), config.approval() == ApprovalMode.OPERATOR);
    }

    /** The age encryption a store applies to new backups, or null when it stores them in the clear. */
    public Encryption encryptionFor(StoreConfig sc) {
        if (sc.encryption() == null || sc.encryption().recipients().isEmpty()) {
            return null;
        }
        return Encryption.to(
                AgeRecipients.parse(sc.encryption().recipients(), "stores." + sc.name() + ".encryption.recipients"));
    }

    /** The key that opens an encrypted backup, or null for a backup stored in the clear. */
    public AgeIdentity identityFor(BackupRecord rec) {
        Manifest m = rec.manifest();
        return m.encryption() == null
                ? null
                : passwords.ageIdentity(
                        config.store(rec.store()), m.encryption().recipients());
    }

    @Override
    public void close() {
        stores.values().forEach(BackupStore::close);
        stores.clear();
    }
}

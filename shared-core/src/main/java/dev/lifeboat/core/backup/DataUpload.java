package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.InputStream;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a backup's bytes reach a store, whatever produced them (pg_dump, a tar of a directory):
 * encrypted when the store asks for it, hashed on the way, written create-only and invisible until
 * the manifest is committed, and checked for the size the store kept.
 */
public final class DataUpload {
    private static final Logger LOG = LoggerFactory.getLogger(DataUpload.class);

    private DataUpload() {}

    /**
     * What was stored.
     *
     * @param info the stored object
     * @param sha256 SHA-256 of the stored bytes (after encryption)
     * @param customArchiveMagic whether the stored bytes start with pg_dump's custom-format header
     * @param zstdMagic whether the stored bytes start with a zstd frame
     */
    public record Stored(ObjectInfo info, String sha256, boolean customArchiveMagic, boolean zstdMagic) {}

    /**
     * Streams {@code plain} (through {@code encryption}, if any) into {@code id}'s data object. A
     * failure while writing leaves nothing to clean up; a size mismatch removes what was written.
     *
     * @param what what the bytes are, for messages: "dump", "tar archive"
     */
    public static Stored put(
            Catalog catalog,
            BackupId id,
            InputStream plain,
            Encryption encryption,
            CancelSignal cancel,
            LongConsumer progress,
            String what) {
        InputStream source = encryption == null ? plain : encryption.encrypting(plain);
        HashingInputStream data = new HashingInputStream(source, progress);
        ObjectInfo info;
        try {
            info = catalog.putData(id, data);
        } catch (LifeboatException e) {
            if (cancel.isCancelled() && e.code() != ErrorCode.CANCELLED) {
                throw new LifeboatException(
                        ErrorCode.CANCELLED, "the operation was cancelled; nothing was committed", null, e);
            }
            throw e;
        }
        if (info.size() != data.count()) {
            try {
                catalog.discardData(id);
            } catch (LifeboatException e) {
                LOG.warn("could not remove the data of failed backup {}: {}", id, e.getMessage());
            }
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "the store kept " + info.size() + " bytes of a " + data.count() + "-byte " + what,
                    "check the store's free space and retry");
        }
        return new Stored(info, data.sha256(), data.hasCustomArchiveMagic(), ZstdCompression.hasMagic(data.head()));
    }
}

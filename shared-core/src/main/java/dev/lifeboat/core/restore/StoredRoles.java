package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.Encryption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The roles kept beside a backup's data ({@code globals: roles}), read back for a restore that creates
 * them: decrypted like the data, and checked against the manifest's size and SHA-256 before a line
 * of it is used.
 */
public final class StoredRoles {
    /** Far more than any cluster's roles: a larger file is not one Lifeboat wrote. */
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    private StoredRoles() {}

    public static String read(LifeboatContext ctx, BackupRecord rec) {
        Manifest m = rec.manifest();
        if (m.roles() == null) {
            throw new LifeboatException(ErrorCode.INTERNAL, "backup " + m.id() + " keeps no roles", null);
        }
        AgeIdentity identity = ctx.identityFor(rec);
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        HashingInputStream hashed;
        try (InputStream stored = ctx.catalog(rec.store()).openRoles(m.backupId())) {
            hashed = new HashingInputStream(stored, n -> {});
            InputStream plain = identity == null
                    ? hashed
                    : Encryption.decrypting(hashed, identity, m.encryption().recipients());
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = plain.read(buf)) >= 0; ) {
                if (script.size() + n > MAX_BYTES) {
                    throw damaged(m, "it is larger than " + MAX_BYTES + " bytes");
                }
                script.write(buf, 0, n);
            }
            hashed.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the roles kept with backup " + m.id() + ": " + e.getMessage()
                            + "; nothing was restored",
                    "check the store, then retry",
                    e);
        }
        if (hashed.count() != m.roles().sizeBytes()
                || !hashed.sha256().equals(m.roles().sha256())) {
            throw damaged(
                    m,
                    "its " + hashed.count() + " bytes hash to " + hashed.sha256() + ", the manifest records "
                            + m.roles().sizeBytes() + " bytes, " + m.roles().sha256());
        }
        return script.toString(StandardCharsets.UTF_8);
    }

    private static LifeboatException damaged(Manifest m, String why) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "the roles kept with backup " + m.id() + " are not what it stored: " + why + "; nothing was restored",
                "restore a copy from another store, or give everything to the restoring login ("
                        + dev.lifeboat.core.base.Remedy.NO_OWNER + ")");
    }
}

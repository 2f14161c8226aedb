package dev.lifeboat.core.verify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.util.Locale;

/** How far a verification goes; each level includes the ones before it. */
public enum VerifyLevel {
    /** Re-read the stored bytes; compare size and SHA-256 with the manifest. Needs no database. */
    CHECKSUM,
    /** Also parse the archive's table of contents with pg_restore --list. */
    ARCHIVE,
    /**
     * Also restore into a scratch database, compare every table's rows with the manifest and the
     * archive, drop the scratch database, and store the evidence beside the backup.
     */
    RESTORE;

    @JsonCreator
    public static VerifyLevel parse(String text) {
        if (text == null || text.isBlank()) {
            return CHECKSUM;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "unknown verification level '" + text + "'",
                    "use one of: checksum, archive, restore");
        }
    }

    /** "checksum", "archive" or "restore", in JSON as everywhere else. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

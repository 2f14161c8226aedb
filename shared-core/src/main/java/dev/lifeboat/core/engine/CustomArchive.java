package dev.lifeboat.core.engine;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.util.Arrays;

/** pg_dump's custom format as far as Lifeboat checks it: the five-byte header every archive starts with. */
public final class CustomArchive {
    private static final byte[] MAGIC = {'P', 'G', 'D', 'M', 'P'};

    /** How many leading bytes {@link #hasMagic} needs. */
    public static final int MAGIC_LENGTH = MAGIC.length;

    private CustomArchive() {}

    /** Whether {@code head} (an archive's first bytes) starts with the custom-format header. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * INTEGRITY_FAILED unless {@code head} starts with the custom-format header: the one refusal of
     * anything else before pg_restore sees it. {@code what} names the archive ("backup X", a path);
     * {@code untouched}, if not null, says what was left as it was.
     */
    public static void requireMagic(byte[] head, String what, String untouched) {
        if (!hasMagic(head)) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    what + " is not a pg_dump custom-format archive (no PGDMP header)"
                            + (untouched == null ? "" : "; " + untouched),
                    "only archives made by pg_dump -Fc can be restored");
        }
    }
}

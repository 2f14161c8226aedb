package dev.lifeboat.core.engine;

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
}

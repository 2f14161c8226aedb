package dev.lifeboat.core.restore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The names a restore that replaces {@code target} gives the databases beside it: the shadow it
 * restores into ({@code shop__restoring_1a2b3c}) and the previous database it keeps for undo ({@code
 * shop__prev_20261206021700}, the UTC time of the swap). Both start with the target's name, so a
 * person listing databases sees what belongs together, and Lifeboat finds them again (a shadow left by
 * a killed restore, the copies undo can bring back) by prefix alone: no state file needed.
 *
 * @param target the target database's name
 */
public record ReplaceNames(String target) {
    /** PostgreSQL's limit on a name, in bytes. */
    static final int MAX_NAME = 63;

    static final String KEPT = "__prev_";
    static final String SHADOW = "__restoring_";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = 14;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The target's name, or for a long one its start and a hash of the whole: short enough that
     * either suffix fits in 63 bytes, and distinct for two long names that share their start.
     */
    public String prefix() {
        int room = MAX_NAME - KEPT.length() - STAMP_LENGTH;
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= room) {
            return target;
        }
        String head = new String(bytes, 0, room - 7, StandardCharsets.UTF_8).replace("\uFFFD", "");
        return head + "_" + hash6(target);
    }

    /** A fresh shadow name. */
    public String newShadow() {
        byte[] nonce = new byte[3];
        RANDOM.nextBytes(nonce);
        return prefix() + SHADOW + HexFormat.of().formatHex(nonce);
    }

    /** Whether {@code name} is a shadow of this target. */
    public boolean isShadow(String name) {
        String p = prefix() + SHADOW;
        return name.startsWith(p) && name.length() == p.length() + 6;
    }

    /** The name the target is kept under when the swap runs at {@code at}. */
    public String kept(Instant at) {
        return prefix() + KEPT + STAMP.format(at);
    }

    /** When {@code name} was kept, if it is a kept previous copy of this target. */
    public Optional<Instant> keptAt(String name) {
        String p = prefix() + KEPT;
        if (!name.startsWith(p) || name.length() != p.length() + STAMP_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(name.substring(p.length()))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String hash6(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.lifeboat.core.catalog;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.config.ConfigNames;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup's id: {@code <database>-<yyyyMMdd'T'HHmmss'Z'>-<4 hex>}, e.g. {@code app-20261122T071200Z-3f9a}.
 * It sorts by time within a database, names its database so a store key can be derived from the id
 * alone, and is validated strictly before it reaches any store: an id is part of an object key.
 */
public record BackupId(String value, String database, Instant createdAt) implements Comparable<BackupId> {
    /** Configured database names: they become path segments and id prefixes. */
    public static final Pattern NAME = ConfigNames.NAME;

    private static final Pattern ID =
            Pattern.compile("(?<db>" + NAME.pattern() + ")-(?<ts>[0-9]{8}T[0-9]{6}Z)-(?<rnd>[0-9a-f]{4})");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static BackupId generate(String database, Instant now) {
        requireName(database, "database name");
        byte[] rnd = new byte[2];
        RANDOM.nextBytes(rnd);
        return parse(database + "-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(rnd));
    }

    /** Parses and validates an id from outside; anything but a well-formed id is INVALID_ARGUMENT. */
    public static BackupId parse(String text) {
        if (text == null || text.length() > 80) {
            throw invalid(text);
        }
        Matcher m = ID.matcher(text);
        if (!m.matches()) {
            throw invalid(text);
        }
        Instant created;
        try {
            created = STAMP.parse(m.group("ts"), Instant::from);
        } catch (RuntimeException e) {
            throw invalid(text);
        }
        return new BackupId(text, m.group("db"), created);
    }

    /** Validates a configured name (database or store) that becomes part of keys and ids. */
    public static String requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid " + what + " '" + printable(name) + "'",
                    "use 1-48 lower-case letters, digits, '-' or '_', starting and ending with a letter or digit");
        }
        return name;
    }

    private static LifeboatException invalid(String text) {
        return new LifeboatException(
                ErrorCode.INVALID_ARGUMENT,
                "invalid backup id '" + printable(text) + "'",
                "a backup id looks like app-20261122T071200Z-3f9a; " + Remedy.LIST_BACKUPS + " to see them");
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    @Override
    public int compareTo(BackupId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

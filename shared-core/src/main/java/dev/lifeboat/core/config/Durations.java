package dev.lifeboat.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one syntax of durations in lifeboat.yaml: {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT30M}). */
public final class Durations {
    /** At most nine digits: a number too long for a long is "not a duration", not an exception. */
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([smhd])");

    private Durations() {}

    /** The duration {@code text} names, or null if it is neither form. */
    public static Duration parse(String text) {
        Matcher m = SHORT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            return of(Long.parseLong(m.group(1)), m.group(2));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code n} of a short-syntax unit, {@code s}, {@code m}, {@code h} or {@code d}: the one reading of
     * the units, for each place whose own pattern accepts them (the CLI's ages among them).
     */
    public static Duration of(long n, String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a unit of time: " + unit);
        };
    }

    /** {@code d} in the short syntax, by the largest unit that divides it: 7d, 24h would be 1d, 90m, 45s. */
    public static String text(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}

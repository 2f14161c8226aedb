package dev.lifeboat.cli;

import dev.lifeboat.core.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --since}: a point in time ({@code 2026-11-22T07:12:00Z}, {@code 2026-11-22}, taken
 * as midnight UTC) or an age back from now ({@code 90m}, {@code 12h}, {@code 7d}, {@code 2w},
 * {@code P7D}).
 */
public final class SinceConverter implements ITypeConverter<Instant> {
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d|w)");

    private final Clock clock;

    public SinceConverter() {
        this(Clock.systemUTC());
    }

    SinceConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        Instant at = parse(value, clock.instant());
        if (at == null) {
            throw new TypeConversionException("'" + value
                    + "' is neither a time (2026-11-22T07:12:00Z, 2026-11-22) nor an age (30m, 12h, 7d, 2w, P7D)");
        }
        return at;
    }

    /** The instant {@code text} means, or null when it means nothing. */
    static Instant parse(String text, Instant now) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        Matcher m = AGE.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            // w is the CLI's own (a look back of weeks); the other units read as in lifeboat.yaml
            Duration age = m.group(2).equals("w") ? Duration.ofDays(7 * n) : Durations.of(n, m.group(2));
            return now.minus(age);
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration age = Duration.parse(t.toUpperCase(Locale.ROOT));
                return age.isNegative() ? null : now.minus(age);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not a full timestamp: try a date
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

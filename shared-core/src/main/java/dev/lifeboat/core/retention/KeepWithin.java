package dev.lifeboat.core.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * restic's calendar span for {@code keep_within}: years, months, days and hours, written like {@code
 * 1y6m}, {@code 30d} or {@code 2d12h} ({@code m} is months, as in restic). It is calendar arithmetic, not
 * a fixed {@link java.time.Duration}: "1m" back from 31 March is 3 March, exactly as Go's {@code AddDate}
 * (which restic uses) normalizes 31 February.
 */
public record KeepWithin(int years, int months, int days, int hours) {
    private static final Pattern PART = Pattern.compile("(\\d+)([ymdh])");

    public KeepWithin {
        if (years < 0 || months < 0 || days < 0 || hours < 0) {
            throw new IllegalArgumentException("keep_within parts cannot be negative");
        }
        if (years == 0 && months == 0 && days == 0 && hours == 0) {
            throw new IllegalArgumentException("keep_within cannot be zero");
        }
    }

    /** Parses {@code 1y2m3d4h} (any subset, in any order); returns null when the text is not such a span. */
    public static KeepWithin parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        int[] parts = new int[4];
        boolean[] seen = new boolean[4];
        Matcher m = PART.matcher(s);
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            int i = "ymdh".indexOf(m.group(2).charAt(0));
            if (seen[i] || m.group(1).length() > 6) {
                return null;
            }
            seen[i] = true;
            parts[i] = Integer.parseInt(m.group(1));
            at = m.end();
        }
        if (parts[0] == 0 && parts[1] == 0 && parts[2] == 0 && parts[3] == 0) {
            return null;
        }
        return new KeepWithin(parts[0], parts[1], parts[2], parts[3]);
    }

    /**
     * The instant this span before {@code latest}, in UTC, the way restic computes it: {@code
     * latest.AddDate(-y, -m, -d).Add(-h hours)}, with Go's normalization of out-of-range days.
     */
    public Instant before(Instant latest) {
        LocalDateTime t = LocalDateTime.ofInstant(latest, ZoneOffset.UTC);
        // Go normalizes the month into the year first, then lets an overflowing day roll forward
        long monthIndex = (long) (t.getYear() - years) * 12 + (t.getMonthValue() - 1) - months;
        int year = (int) Math.floorDiv(monthIndex, 12);
        int month = (int) Math.floorMod(monthIndex, 12) + 1;
        LocalDate date = LocalDate.of(year, month, 1).plusDays(t.getDayOfMonth() - 1L - days);
        return LocalDateTime.of(date, t.toLocalTime()).toInstant(ZoneOffset.UTC).minusSeconds(hours * 3600L);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (years != 0) {
            s.append(years).append('y');
        }
        if (months != 0) {
            s.append(months).append('m');
        }
        if (days != 0) {
            s.append(days).append('d');
        }
        if (hours != 0) {
            s.append(hours).append('h');
        }
        return s.toString();
    }
}

package dev.lifeboat.core.cron;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One cron field spelt for systemd's calendar events: {@code *} stays, anything else becomes the
 * explicit list of values it matches. Lists are what both syntaxes share; cron's steps over ranges
 * ({@code 1-30/5}) have no single systemd spelling, so they are expanded. Only called on fields that
 * cron-utils has already accepted, so the syntax here can be trusted.
 */
final class SystemdFields {
    static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1),
            Map.entry("feb", 2),
            Map.entry("mar", 3),
            Map.entry("apr", 4),
            Map.entry("may", 5),
            Map.entry("jun", 6),
            Map.entry("jul", 7),
            Map.entry("aug", 8),
            Map.entry("sep", 9),
            Map.entry("oct", 10),
            Map.entry("nov", 11),
            Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS =
            Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final String[] SYSTEMD_DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

    private SystemdFields() {}

    /** {@code *}, or the matching values from {@code min} to {@code max}, comma-separated, two digits each. */
    static String values(String field, int min, int max, Map<String, Integer> names) {
        if (field.equals("*")) {
            return "*";
        }
        return expand(field, min, max, names).stream()
                .map(v -> String.format(Locale.ROOT, "%02d", v))
                .collect(Collectors.joining(","));
    }

    /** Day-of-week values (0 or 7 is Sunday) as systemd's names: {@code Mon,Wed,Fri}. */
    static String weekdays(String field) {
        if (field.equals("*")) {
            return "*";
        }
        TreeSet<Integer> days = new TreeSet<>();
        for (int d : expand(field, 0, 7, DAYS)) {
            days.add(d % 7);
        }
        return days.stream().map(d -> SYSTEMD_DAYS[d]).collect(Collectors.joining(","));
    }

    private static TreeSet<Integer> expand(String field, int min, int max, Map<String, Integer> names) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : field.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = Integer.parseInt(part.substring(slash + 1));
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = value(ends[0], names);
                to = value(ends[1], names);
            } else {
                from = value(range, names);
                // crontab(5): "a/s" steps from a to the field's end
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                out.add(v);
            }
        }
        return out;
    }

    private static int value(String token, Map<String, Integer> names) {
        Integer named = names.get(token.toLowerCase(Locale.ROOT));
        return named != null ? named : Integer.parseInt(token);
    }
}

package dev.lifeboat.core.retention;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which backups of one database to keep, with restic's semantics ({@code restic forget}):
 *
 * <ul>
 *   <li>Backups are walked newest first. Each {@code keep_<period>} rule keeps the newest backup of
 *       each of the N newest hours, days, ISO weeks, months or years that have a backup; {@code
 *       keep_last} keeps the N newest backups. While a rule still has count left when the walk reaches
 *       the oldest backup, it keeps that one too ("oldest"), which stretches the history kept.
 *   <li>A backup kept by several rules counts against each of them.
 *   <li>{@code keep_within} keeps every backup taken less than that span before the newest backup (not
 *       before now), so an idle database does not lose its last backups.
 *   <li>A count of {@code -1} ({@code unlimited}) keeps one backup per period with no limit; 0 means
 *       the rule is off.
 * </ul>
 *
 * <p>Buckets are computed in UTC, not local time as restic does, so a plan does not change with the
 * machine's time zone or across daylight-saving shifts. Backups with the same time are ordered by id,
 * descending, so plans are deterministic. Lifeboat adds one rule restic does not have: the newest
 * verified backup is never removed (reason {@code newest verified}). A policy with no rule is refused
 * rather than read as "keep everything" or "remove everything".
 */
public record RetentionPolicy(
        int keepLast,
        int keepHourly,
        int keepDaily,
        int keepWeekly,
        int keepMonthly,
        int keepYearly,
        KeepWithin keepWithin) {

    public static final String NEWEST_VERIFIED = "newest verified";

    /** The config keys, in the order rules are applied and reported. */
    public static final List<String> KEYS = List.of(
            "keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "keep_within");

    private static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparing(Candidate::createdAt)
            .thenComparing(Candidate::id)
            .reversed();

    public RetentionPolicy {
        int[] counts = {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < -1) {
                throw new IllegalArgumentException(KEYS.get(i) + " must be -1 (unlimited), 0 (off) or more");
            }
        }
    }

    /** No rules at all: {@link #apply} refuses such a policy. */
    public static RetentionPolicy none() {
        return new RetentionPolicy(0, 0, 0, 0, 0, 0, null);
    }

    public RetentionPolicy withKeepLast(int n) {
        return withCount(0, n);
    }

    public RetentionPolicy withKeepHourly(int n) {
        return withCount(1, n);
    }

    public RetentionPolicy withKeepDaily(int n) {
        return withCount(2, n);
    }

    public RetentionPolicy withKeepWeekly(int n) {
        return withCount(3, n);
    }

    public RetentionPolicy withKeepMonthly(int n) {
        return withCount(4, n);
    }

    public RetentionPolicy withKeepYearly(int n) {
        return withCount(5, n);
    }

    public RetentionPolicy withKeepWithin(KeepWithin within) {
        return of(counts(), within);
    }

    public boolean isEmpty() {
        return Arrays.stream(counts()).allMatch(c -> c == 0) && keepWithin == null;
    }

    /** The counting rules' counts, in the order of {@link #KEYS}. */
    private int[] counts() {
        return new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly};
    }

    /** This policy with the count of rule {@code rule} (an index into {@link #KEYS}) set to {@code n}. */
    private RetentionPolicy withCount(int rule, int n) {
        int[] counts = counts();
        counts[rule] = n;
        return of(counts, keepWithin);
    }

    private static RetentionPolicy of(int[] counts, KeepWithin within) {
        return new RetentionPolicy(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], within);
    }

    /**
     * Reads a policy from config-like settings ({@code keep_daily: 7}, {@code keep_within: 30d}, {@code
     * keep_monthly: unlimited}). Values may be numbers or strings. Every problem is reported at once,
     * each named {@code <setting>.<key>}; {@code setting} is e.g. {@code databases.app.retention}.
     */
    public static RetentionPolicy fromMap(Map<String, ?> settings, String setting) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        if (settings != null) {
            for (Map.Entry<String, ?> e : settings.entrySet()) {
                if (!KEYS.contains(e.getKey())) {
                    problems.add(
                            setting + "." + e.getKey() + ": unknown setting (known: " + String.join(", ", KEYS) + ")");
                } else if (e.getValue() != null) {
                    values.put(e.getKey(), e.getValue());
                }
            }
        }
        int[] counts = new int[6];
        for (int i = 0; i < 6; i++) {
            Object v = values.get(KEYS.get(i));
            if (v != null) {
                Integer n = count(v);
                if (n == null) {
                    problems.add(setting + "." + KEYS.get(i) + ": '" + v
                            + "' is not a count (a whole number from 0, or 'unlimited')");
                } else {
                    counts[i] = n;
                }
            }
        }
        KeepWithin within = null;
        Object w = values.get("keep_within");
        if (w != null) {
            within = KeepWithin.parse(w.toString());
            if (within == null) {
                problems.add(setting + ".keep_within: '" + w
                        + "' is not a span like 30d, 2d12h or 1y6m (y years, m months, d days, h hours)");
            }
        }
        if (!problems.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID, String.join("; ", problems), "see docs/configuration.md, retention");
        }
        return of(counts, within);
    }

    private static Integer count(Object v) {
        String s = v.toString().strip().toLowerCase(Locale.ROOT);
        if (s.equals("unlimited") || s.equals("all") || s.equals("-1")) {
            return -1;
        }
        if (v instanceof Number n && (n instanceof Double || n instanceof Float) && n.doubleValue() % 1 != 0) {
            return null;
        }
        if (!s.matches("\\d{1,7}")) {
            return null;
        }
        return Integer.parseInt(s);
    }

    /** The policy as the config would say it, e.g. {@code keep_daily=7, keep_within=30d}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        int[] counts = counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                parts.add(KEYS.get(i) + "=" + (counts[i] == -1 ? "unlimited" : counts[i]));
            }
        }
        if (keepWithin != null) {
            parts.add("keep_within=" + keepWithin);
        }
        return parts.isEmpty() ? "no rules" : String.join(", ", parts);
    }

    /** {@link #apply(List, Instant)} relative to the current time. */
    public RetentionPlan apply(List<Candidate> candidates) {
        return apply(candidates, Instant.now());
    }

    /**
     * Decides which of one database's backups stay. {@code now} only excludes backups dated in the
     * future from being "the newest" that {@code keep_within} counts back from, as restic does.
     */
    public RetentionPlan apply(List<Candidate> candidates, Instant now) {
        if (isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the retention policy has no rules, refusing to prune",
                    "set at least one of " + String.join(", ", KEYS) + " (in the config's retention: or as options)");
        }
        Set<String> ids = new HashSet<>();
        for (Candidate c : candidates) {
            if (!ids.add(c.id())) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT, "backup " + c.id() + " is listed twice for retention", null);
            }
        }
        List<Candidate> list = new ArrayList<>(candidates);
        list.sort(NEWEST_FIRST);
        if (list.isEmpty()) {
            return new RetentionPlan(this, List.of(), List.of());
        }

        Bucket[] buckets = {
            new Bucket("keep_last", keepLast, null),
            new Bucket(
                    "keep_hourly",
                    keepHourly,
                    t -> t.getYear() * 1_000_000L
                            + t.getMonthValue() * 10_000L
                            + t.getDayOfMonth() * 100L
                            + t.getHour()),
            new Bucket(
                    "keep_daily", keepDaily, t -> t.getYear() * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth()),
            new Bucket(
                    "keep_weekly",
                    keepWeekly,
                    t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
            new Bucket("keep_monthly", keepMonthly, t -> t.getYear() * 100L + t.getMonthValue()),
            new Bucket("keep_yearly", keepYearly, t -> (long) t.getYear()),
        };
        Instant withinFrom = null;
        if (keepWithin != null) {
            Instant latest = null;
            for (Candidate c : list) {
                if (c.createdAt().isBefore(now)
                        && (latest == null || c.createdAt().isAfter(latest))) {
                    latest = c.createdAt();
                }
            }
            // restic: with every backup in the future, "latest" is the zero time and all are within
            withinFrom = latest == null ? Instant.MIN : keepWithin.before(latest);
        }

        Candidate newestVerified =
                list.stream().filter(Candidate::verified).findFirst().orElse(null);
        List<RetentionPlan.Kept> keep = new ArrayList<>();
        List<Candidate> remove = new ArrayList<>();
        for (int nr = 0; nr < list.size(); nr++) {
            Candidate cur = list.get(nr);
            boolean oldest = nr == list.size() - 1;
            List<String> reasons = new ArrayList<>();
            if (withinFrom != null && cur.createdAt().isAfter(withinFrom)) {
                reasons.add("keep_within " + keepWithin);
            }
            LocalDateTime utc = LocalDateTime.ofInstant(cur.createdAt(), ZoneOffset.UTC);
            for (Bucket b : buckets) {
                String reason = b.offer(utc, nr, oldest);
                if (reason != null) {
                    reasons.add(reason);
                }
            }
            if (cur == newestVerified) {
                reasons.add(NEWEST_VERIFIED);
            }
            if (reasons.isEmpty()) {
                remove.add(cur);
            } else {
                keep.add(new RetentionPlan.Kept(cur, reasons));
            }
        }
        return new RetentionPlan(this, keep, remove);
    }
}

package dev.lifeboat.core.retention;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    @Test
    void resticsOwnGoldenExpectationsHold() throws IOException {
        Golden golden = Golden.load();
        assertThat(golden.snapshots).hasSize(103);
        assertThat(golden.policies).hasSize(30);
        for (Map.Entry<String, List<String>> p : golden.policies.entrySet()) {
            RetentionPolicy policy = RetentionPolicy.fromMap(golden.settings.get(p.getKey()), "retention");
            RetentionPlan plan = policy.apply(golden.snapshots, FAR_FUTURE);

            List<String> actual = plan.keep().stream()
                    .map(k -> k.candidate().createdAt() + " " + String.join("; ", k.reasons()))
                    .toList();
            assertThat(actual).as("restic policy " + p.getKey()).containsExactlyElementsOf(p.getValue());
            assertThat(plan.keep().size() + plan.remove().size()).isEqualTo(golden.snapshots.size());
        }
    }

    @Test
    void aHistoryOf200BackupsKeepsWhatEachPeriodRuleDemands() {
        List<Candidate> history = history200();
        Map<String, Function<LocalDateTime, Long>> periods = new LinkedHashMap<>();
        periods.put(
                "keep_hourly",
                t -> t.getYear() * 1_000_000L + t.getMonthValue() * 10_000L + t.getDayOfMonth() * 100L + t.getHour());
        periods.put("keep_daily", t -> t.toLocalDate().toEpochDay());
        periods.put(
                "keep_weekly", t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        periods.put("keep_monthly", t -> t.getYear() * 100L + t.getMonthValue());
        periods.put("keep_yearly", t -> (long) t.getYear());

        List<Map<String, Object>> policies = List.of(
                Map.of("keep_daily", 7),
                Map.of("keep_daily", 7, "keep_weekly", 4, "keep_monthly", 6),
                Map.of("keep_last", 3, "keep_daily", 14, "keep_weekly", 8, "keep_monthly", 12, "keep_yearly", 5),
                Map.of("keep_hourly", 24, "keep_monthly", "unlimited"),
                Map.of("keep_weekly", 52),
                Map.of("keep_yearly", 3));
        for (Map<String, Object> settings : policies) {
            RetentionPolicy policy = RetentionPolicy.fromMap(settings, "retention");
            // an independent statement of restic's rule: per rule, the newest backup of each of the N
            // newest periods, and the oldest backup too when there are fewer than N periods
            Set<String> expected = new LinkedHashSet<>();
            settings.forEach((rule, n) -> {
                int count = n.equals("unlimited") ? Integer.MAX_VALUE : (Integer) n;
                if (rule.equals("keep_last")) {
                    newestFirst(history).stream().limit(count).forEach(c -> expected.add(c.id()));
                    return;
                }
                TreeMap<Long, Candidate> newestPerPeriod = new TreeMap<>(Collections.reverseOrder());
                for (Candidate c : history) {
                    long key = periods.get(rule).apply(utc(c));
                    newestPerPeriod.merge(key, c, (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b);
                }
                newestPerPeriod.values().stream().limit(count).forEach(c -> expected.add(c.id()));
                if (newestPerPeriod.size() < count) {
                    expected.add(newestFirst(history).get(history.size() - 1).id());
                }
            });

            RetentionPlan plan = policy.apply(history, FAR_FUTURE);
            assertThat(Set.copyOf(plan.keepIds())).as(policy.describe()).isEqualTo(expected);
            assertThat(plan.keep().size() + plan.remove().size()).isEqualTo(200);
        }
    }

    @Test
    void keepLastAndKeepWithinOnTheHistoryAreExact() {
        List<Candidate> history = history200();
        List<Candidate> sorted = newestFirst(history);

        RetentionPlan last = RetentionPolicy.none().withKeepLast(10).apply(history, FAR_FUTURE);
        assertThat(last.keepIds())
                .containsExactlyElementsOf(
                        sorted.subList(0, 10).stream().map(Candidate::id).toList());
        assertThat(last.removeIds()).hasSize(190);

        RetentionPlan within =
                RetentionPolicy.none().withKeepWithin(KeepWithin.parse("30d")).apply(history, FAR_FUTURE);
        Instant newest = sorted.get(0).createdAt();
        assertThat(within.keepIds())
                .containsExactlyElementsOf(sorted.stream()
                        .filter(c -> c.createdAt().isAfter(newest.minus(Duration.ofDays(30))))
                        .map(Candidate::id)
                        .toList());
        assertThat(within.keep()).allSatisfy(k -> assertThat(k.reasons()).containsExactly("keep_within 30d"));
    }

    @Test
    void keepWithinCountsBackFromTheNewestBackupNotFromNow() {
        List<Candidate> old =
                List.of(c("a", "2020-01-10T00:00:00Z"), c("b", "2020-01-05T00:00:00Z"), c("c", "2019-12-01T00:00:00Z"));
        RetentionPlan plan =
                RetentionPolicy.none().withKeepWithin(KeepWithin.parse("7d")).apply(old, FAR_FUTURE);
        assertThat(plan.keepIds()).containsExactly("a", "b");
        assertThat(plan.removeIds()).containsExactly("c");
    }

    @Test
    void backupsDatedInTheFutureDoNotMoveTheWithinWindow() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        List<Candidate> list = List.of(
                c("future", "2026-07-01T00:00:00Z"),
                c("recent", "2026-05-30T00:00:00Z"),
                c("old", "2026-05-01T00:00:00Z"));
        RetentionPlan plan =
                RetentionPolicy.none().withKeepWithin(KeepWithin.parse("7d")).apply(list, now);
        assertThat(plan.keepIds()).containsExactly("future", "recent");
    }

    @Test
    void theNewestVerifiedBackupIsNeverRemoved() {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // only the 8th newest passed verification
            list.add(
                    new Candidate("b" + i, Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(i)), i == 2));
        }
        RetentionPlan plan = RetentionPolicy.none().withKeepLast(3).apply(list, FAR_FUTURE);
        assertThat(plan.keepIds()).containsExactly("b9", "b8", "b7", "b2");
        assertThat(plan.keep().get(3).reasons()).containsExactly(RetentionPolicy.NEWEST_VERIFIED);
        assertThat(plan.removeIds()).containsExactly("b6", "b5", "b4", "b3", "b1", "b0");
        // an older verified backup is not protected: only the newest one is
        assertThat(plan.removeIds()).doesNotContain("b2");
    }

    @Test
    void theNewestVerifiedReasonIsAddedWhenRulesKeepItAnyway() {
        RetentionPlan plan = planOf(
                RetentionPolicy.none().withKeepLast(1),
                new Candidate("new", Instant.parse("2026-01-02T00:00:00Z"), true),
                new Candidate("old", Instant.parse("2026-01-01T00:00:00Z"), true));
        assertThat(plan.keep())
                .singleElement()
                .satisfies(k -> assertThat(k.reasons()).containsExactly("keep_last", RetentionPolicy.NEWEST_VERIFIED));
        assertThat(plan.removeIds()).containsExactly("old");
    }

    @Test
    void anEmptyPolicyRefusesToPrune() {
        assertThat(RetentionPolicy.none().isEmpty()).isTrue();
        assertThat(RetentionPolicy.fromMap(Map.of(), "retention").isEmpty()).isTrue();
        assertThat(RetentionPolicy.fromMap(Map.of("keep_daily", 0), "retention").isEmpty())
                .isTrue();
        LifeboatException e = refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> RetentionPolicy.none().apply(List.of(c("a", "2026-01-01T00:00:00Z")), FAR_FUTURE));
        assertThat(e.getMessage()).contains("no rules", "refusing to prune");
        assertThat(e.hint()).contains("keep_daily");
    }

    /** What {@code policy} keeps and removes of {@code candidates}, far in the future. */
    private static RetentionPlan planOf(RetentionPolicy policy, Candidate... candidates) {
        return policy.apply(List.of(candidates), FAR_FUTURE);
    }

    @Test
    void twoBackupsOnTheSameDayKeepTheLaterOne() {
        RetentionPlan plan = planOf(
                RetentionPolicy.none().withKeepDaily(2),
                c("morning", "2026-03-10T06:00:00Z"),
                c("evening", "2026-03-10T18:00:00Z"),
                c("day-before", "2026-03-09T18:00:00Z"),
                c("two-days-before", "2026-03-08T18:00:00Z"));
        assertThat(plan.keepIds()).containsExactly("evening", "day-before");
        assertThat(plan.removeIds()).containsExactly("morning", "two-days-before");
    }

    @Test
    void daysAreUtcDaysWhateverTheLocalZoneOrDaylightSaving() {
        // 23:30 UTC and 00:30 UTC the next day: one local day in Berlin (CET, UTC+1), two UTC days;
        // 2026-03-29 is also the night Europe moves its clocks forward
        RetentionPlan plan = planOf(
                RetentionPolicy.none().withKeepDaily(2),
                c("after", "2026-03-29T00:30:00Z"),
                c("before", "2026-03-28T23:30:00Z"));
        assertThat(plan.keepIds()).containsExactly("after", "before");
        assertThat(plan.keep().get(1).reasons()).containsExactly("keep_daily");
    }

    @Test
    void weeksAreIsoWeeksAcrossTheTurnOfTheYear() {
        RetentionPlan plan = planOf(
                RetentionPolicy.none().withKeepWeekly(2),
                c("fri-2026-w01", "2026-01-02T12:00:00Z"),
                c("mon-2026-w01", "2025-12-29T12:00:00Z"),
                c("sun-2025-w52", "2025-12-28T12:00:00Z"),
                c("sat-2025-w52", "2025-12-27T12:00:00Z"));
        assertThat(plan.keepIds()).containsExactly("fri-2026-w01", "sun-2025-w52");
    }

    @Test
    void backupsWithTheSameTimeAreOrderedByIdWhateverTheInputOrder() {
        List<Candidate> a = List.of(c("x-1", "2026-01-01T00:00:00Z"), c("x-2", "2026-01-01T00:00:00Z"));
        List<Candidate> b = List.of(a.get(1), a.get(0));
        RetentionPolicy daily = RetentionPolicy.none().withKeepDaily(1);
        assertThat(daily.apply(a, FAR_FUTURE).keepIds()).containsExactly("x-2");
        assertThat(daily.apply(b, FAR_FUTURE).keepIds()).containsExactly("x-2");
    }

    @Test
    void theOldestBackupIsKeptWhileARuleHasCountLeft() {
        RetentionPlan plan = planOf(
                RetentionPolicy.none().withKeepMonthly(3),
                c("jan-2", "2026-01-02T00:00:00Z"),
                c("jan-1", "2026-01-01T00:00:00Z"));
        assertThat(plan.keep())
                .extracting(k -> k.candidate().id() + ": " + k.reasons())
                .containsExactly("jan-2: [keep_monthly]", "jan-1: [keep_monthly (oldest)]");
    }

    @Test
    void noBackupsMakeAnEmptyPlanAndDuplicatesAreRefused() {
        RetentionPolicy p = RetentionPolicy.none().withKeepLast(1);
        assertThat(p.apply(List.of(), FAR_FUTURE).keep()).isEmpty();
        assertThatThrownBy(() ->
                        p.apply(List.of(c("a", "2026-01-01T00:00:00Z"), c("a", "2026-01-02T00:00:00Z")), FAR_FUTURE))
                .hasMessageContaining("listed twice");
    }

    @Test
    void settingsAreReadFromConfigMapsWithNamedErrors() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("keep_last", "3");
        settings.put("keep_daily", 7);
        settings.put("keep_weekly", 4L);
        settings.put("keep_monthly", "unlimited");
        settings.put("keep_yearly", -1);
        settings.put("keep_within", "1y6m");
        RetentionPolicy p = RetentionPolicy.fromMap(settings, "databases.app.retention");
        assertThat(p).isEqualTo(new RetentionPolicy(3, 0, 7, 4, -1, -1, new KeepWithin(1, 6, 0, 0)));
        assertThat(p.describe())
                .isEqualTo("keep_last=3, keep_daily=7, keep_weekly=4, keep_monthly=unlimited, keep_yearly=unlimited, "
                        + "keep_within=1y6m");

        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("keep_dayly", 7);
        bad.put("keep_last", "seven");
        bad.put("keep_weekly", -3);
        bad.put("keep_monthly", 2.5);
        bad.put("keep_within", "30 minutes");
        LifeboatException e =
                refused(ErrorCode.CONFIG_INVALID, () -> RetentionPolicy.fromMap(bad, "databases.app.retention"));
        assertThat(e.getMessage())
                .contains(
                        "databases.app.retention.keep_dayly: unknown setting",
                        "databases.app.retention.keep_last: 'seven'",
                        "databases.app.retention.keep_weekly: '-3'",
                        "databases.app.retention.keep_monthly: '2.5'",
                        "databases.app.retention.keep_within: '30 minutes'");
    }

    @Test
    void keepWithinParsesResticSpansAndSubtractsLikeGo() {
        assertThat(KeepWithin.parse("1y1d1m")).isEqualTo(new KeepWithin(1, 1, 1, 0));
        assertThat(KeepWithin.parse("1y1d1m").toString()).isEqualTo("1y1m1d");
        assertThat(KeepWithin.parse("13d23h")).isEqualTo(new KeepWithin(0, 0, 13, 23));
        assertThat(KeepWithin.parse("0d")).isNull();
        assertThat(KeepWithin.parse("1d1d")).isNull();
        assertThat(KeepWithin.parse("1w")).isNull();
        assertThat(KeepWithin.parse("d")).isNull();
        assertThat(KeepWithin.parse("")).isNull();

        // Go's AddDate: 31 March minus one month is "31 February", normalized to 3 March
        assertThat(new KeepWithin(0, 1, 0, 0).before(Instant.parse("2026-03-31T10:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(new KeepWithin(1, 0, 0, 0).before(Instant.parse("2024-02-29T00:00:00Z")))
                .isEqualTo(Instant.parse("2023-03-01T00:00:00Z"));
        assertThat(new KeepWithin(0, 2, 3, 5).before(Instant.parse("2026-01-02T03:00:00Z")))
                .isEqualTo(Instant.parse("2025-10-29T22:00:00Z"));
    }

    /** 200 backups, one every ~31 hours with a wobble, crossing days, ISO weeks, months and a year. */
    private static List<Candidate> history200() {
        List<Candidate> list = new ArrayList<>();
        Instant start = Instant.parse("2025-09-03T02:00:00Z");
        for (int i = 0; i < 200; i++) {
            Instant t = start.plus(Duration.ofHours(31L * i)).plus(Duration.ofMinutes((i % 7) * 13L));
            list.add(new Candidate(String.format("app-%03d", i), t, false));
        }
        // several on one day and within one hour: the later one must be the day's and hour's keeper
        list.add(new Candidate("app-extra-1", start.plus(Duration.ofHours(31L * 199 + 2)), false));
        list.remove(0);
        Collections.shuffle(list, new java.util.Random(42));
        assertThat(list).hasSize(200);
        return list;
    }

    private static List<Candidate> newestFirst(List<Candidate> list) {
        List<Candidate> sorted = new ArrayList<>(list);
        sorted.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return sorted;
    }

    private static LocalDateTime utc(Candidate c) {
        return LocalDateTime.ofInstant(c.createdAt(), ZoneOffset.UTC);
    }

    private static Candidate c(String id, String time) {
        return new Candidate(id, Instant.parse(time), false);
    }

    /** restic's fixture: its snapshot list and, per policy, the expected "time reasons" lines. */
    private static final class Golden {
        final List<Candidate> snapshots = new ArrayList<>();
        final Map<String, List<String>> policies = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> settings = new HashMap<>();

        static Golden load() throws IOException {
            Golden g = new Golden();
            String current = null;
            try (InputStream in = RetentionPolicyTest.class.getResourceAsStream("restic-policy-golden.txt")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split(" ", 3);
                    switch (f[0]) {
                        case "snapshot" ->
                            g.snapshots.add(new Candidate(
                                    String.format("s%03d", g.snapshots.size()), Instant.parse(f[1]), false));
                        case "policy" -> {
                            current = f[1];
                            Map<String, Object> s = new LinkedHashMap<>();
                            for (String kv : f[2].split(" ")) {
                                String[] p = kv.split("=");
                                s.put(p[0], p[1]);
                            }
                            g.settings.put(current, s);
                            g.policies.put(current, new ArrayList<>());
                        }
                        case "keep" -> g.policies.get(current).add(Instant.parse(f[1]) + " " + f[2]);
                        default -> throw new IllegalStateException(line);
                    }
                }
            }
            return g;
        }
    }
}

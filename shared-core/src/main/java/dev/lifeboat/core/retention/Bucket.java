package dev.lifeboat.core.retention;

import java.time.LocalDateTime;
import java.util.function.ToLongFunction;

/** One counting rule: the period key of the last kept backup and how many periods are left. */
final class Bucket {
    private final String name;
    private final ToLongFunction<LocalDateTime> period;
    private int count;
    private Long last;

    Bucket(String name, int count, ToLongFunction<LocalDateTime> period) {
        this.name = name;
        this.count = count;
        this.period = period;
    }

    /** The reason this rule keeps the backup, or null. */
    String offer(LocalDateTime t, int nr, boolean oldest) {
        if (count == 0) {
            return null;
        }
        // keep_last: every backup is its own period
        long val = period == null ? nr : period.applyAsLong(t);
        boolean samePeriod = last != null && last == val;
        if (samePeriod && !oldest) {
            return null;
        }
        last = val;
        if (count > 0) {
            count--;
        }
        return samePeriod ? name + " (oldest)" : name;
    }
}

package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.DumpProgress;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code pg_dump --verbose} as it runs: each "dumping contents of table" line tells {@link
 * DumpProgress} where the dump is, measured in the tables' sizes read from the catalog before it
 * started. The other informational lines are consumed too, so that what is kept of stderr for a failure
 * is the failure (pg_dump 12 and later mark those lines {@code error:}, {@code warning:}, {@code detail:}
 * or {@code hint:}; informational ones have no such mark).
 */
final class PgDumpProgress implements Predicate<String> {
    /** The first pg_dump whose messages carry their level, which tells progress from failure. */
    static final int FIRST_MAJOR = 12;

    private static final Pattern TABLE = Pattern.compile("^pg_dump: dumping contents of table \"(.+)\"$");
    private static final Pattern LEVEL = Pattern.compile("^pg_dump: (error|warning|detail|hint|fatal): .*");

    private final Map<String, Long> sizes;
    private final long total;
    private final DumpProgress progress;
    private long done;
    private long current;
    private int index;

    /** @param sizes each table's size in bytes by its schema-qualified name, in any order */
    PgDumpProgress(Map<String, Long> sizes, DumpProgress progress) {
        this.sizes = Map.copyOf(sizes);
        this.total = sizes.values().stream().mapToLong(Long::longValue).sum();
        this.progress = progress;
    }

    /** Tells the progress what there is to dump, before pg_dump starts. */
    void announce() {
        progress.sized(total, sizes.size());
    }

    @Override
    public boolean test(String line) {
        if (!line.startsWith("pg_dump: ") || LEVEL.matcher(line).matches()) {
            return false;
        }
        Matcher m = TABLE.matcher(line);
        if (m.matches()) {
            done += current; // the table before this one is done
            current = sizes.getOrDefault(m.group(1), 0L);
            index++;
            progress.tableStarted(m.group(1), done, total, index, sizes.size());
        }
        return true;
    }
}

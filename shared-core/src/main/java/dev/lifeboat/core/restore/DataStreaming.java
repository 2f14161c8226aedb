package dev.lifeboat.core.restore;

import dev.lifeboat.core.engine.TableSummary;
import java.util.List;

/**
 * Whether a restore asked for several jobs loads its data sooner streamed into one job. Several jobs
 * load several tables at once, so they cannot load the largest table sooner than one job does; from an
 * archive that is decoded first (zstd, age, a remote store) they also wait for the whole archive to be
 * written into a spool file. When one table holds most of the rows, that wait is the larger cost: the
 * definitions and data then stream into one job, and what follows the data (indexes, constraints,
 * grants, where several jobs do pay) is built by the jobs asked for. Rows stand in for bytes: the
 * manifest knows no table's size.
 */
final class DataStreaming {
    /**
     * The share of the rows the largest table must hold. Decoding the spool took about a quarter of the
     * restore's time in the bench (pgbench scale 20 and 100): streaming wins while the largest table's
     * load is more than the other three quarters.
     */
    static final double DOMINANT_SHARE = 0.75;

    private DataStreaming() {}

    /** Whether {@code r}'s data streams into one job while its jobs build the rest. */
    static boolean pays(RestoreTarget.Resolved r) {
        return r.mode() != RestoreMode.CLEAN
                && r.jobs() > 1
                && dominant(r.record().manifest().tables()) != null;
    }

    /** The table holding at least {@link #DOMINANT_SHARE} of the rows, or null (also when a count is unknown). */
    static TableSummary dominant(List<TableSummary> tables) {
        long total = 0;
        TableSummary largest = null;
        for (TableSummary t : tables) {
            if (t.rows() < 0) {
                return null;
            }
            total += t.rows();
            if (largest == null || t.rows() > largest.rows()) {
                largest = t;
            }
        }
        return total > 0 && largest.rows() >= DOMINANT_SHARE * total ? largest : null;
    }

    /** What the result of a restore that {@link #pays} says of it. */
    static String note(RestoreTarget.Resolved r) {
        return "the data streamed into one pg_restore job (" + share(r) + ", which more jobs could not load"
                + " sooner); indexes, constraints and grants were built with " + r.jobs() + " jobs";
    }

    /** What the plan of a restore that will run this way says of it. */
    static String planned(RestoreTarget.Resolved r) {
        return "Its data will stream from the store into one pg_restore job (" + share(r) + ", which more jobs"
                + " could not load sooner); indexes, constraints and grants will then be built with " + r.jobs()
                + " jobs.";
    }

    /** "public.events holds 90% of the rows": the dominant table of a restore that {@link #pays}. */
    private static String share(RestoreTarget.Resolved r) {
        List<TableSummary> tables = r.record().manifest().tables();
        TableSummary t = dominant(tables); // not null: asked only of a restore that pays
        long total = tables.stream().mapToLong(TableSummary::rows).sum();
        return t.qualifiedName() + " holds " + Math.round(100.0 * t.rows() / total) + "% of the rows";
    }
}

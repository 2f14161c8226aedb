package dev.lifeboat.mcp.operation;

/**
 * Turns the core's progress, which restarts at zero with each stage (a verification hashes the bytes,
 * then a drill compares tables), into one series that strictly increases, as MCP requires of
 * {@code notifications/progress}. A report lower than the one before starts a new stage, counted on top
 * of where the last one ended; a report that would not increase (the same count again, a heartbeat) adds
 * a small fraction instead. The total is offered only while it is still ahead: a stage that reached its
 * total while more work follows (hashing done, pg_restore still to run) must not show 100%.
 *
 * <p>Thread-safe; cheap enough to call for every 64 KiB of a dump.
 */
public final class MonotonicProgress {
    /** Added when a report would not increase: small against a byte count, still visible for ten tables. */
    static final double STEP = 0.001;

    /**
     * One notification's worth.
     *
     * @param progress strictly greater than the previous report's
     * @param total the total in the same units, or null when unknown or already passed
     * @param message what is happening, or null
     */
    public record Report(double progress, Double total, String message) {
        /** A report that says the work is complete (progress at its total): never rate-limited away. */
        public boolean complete() {
            return total != null && progress >= total;
        }
    }

    private double offset;
    private long stageDone;
    private long stageTotal = -1;
    private double last = -1;
    private String message;

    /** The next report for the core's {@code (done, total, message)}. */
    public synchronized Report next(long done, long total, String message) {
        long d = Math.max(0, done);
        if (d < stageDone) {
            offset += stageDone; // a new stage starts where the last one ended
        }
        stageDone = d;
        stageTotal = total;
        if (message != null) {
            this.message = message;
        }
        return emit(offset + d);
    }

    /** A report that only says the work goes on: the latest state, a step further. */
    public synchronized Report heartbeat() {
        return emit(Math.max(last, 0));
    }

    /** The latest report, without advancing; null before the first. */
    public synchronized Report latest() {
        return last < 0 ? null : new Report(last, total(last), message);
    }

    private Report emit(double candidate) {
        double p = candidate > last ? candidate : step(last);
        last = p;
        return new Report(p, total(p), message);
    }

    private Double total(double p) {
        if (stageTotal <= 0) {
            return null;
        }
        double t = offset + stageTotal;
        return p <= t ? t : null;
    }

    /** The smallest visible increase: STEP, or more where a double cannot hold STEP (beyond 2^42 or so). */
    private static double step(double x) {
        return x < 0 ? 0 : x + Math.max(STEP, Math.ulp(x) * 2);
    }
}

package dev.lifeboat.core.config;

import java.time.Duration;

/**
 * What a database, directory or set promises about its backups: {@code rpo} (the newest committed
 * backup is younger), {@code drill_every} (the newest passing restore drill is younger) and {@code
 * copies} (the newest backup is in at least that many stores, for 3-2-1). Each is optional.
 *
 * @param rpo the recovery point objective, or null for none
 * @param drillEvery how often a restore drill must pass, or null for none
 * @param copies how many stores must hold the newest backup, or 0 for no requirement
 */
public record Objectives(Duration rpo, Duration drillEvery, int copies) {
    /** No objective at all. */
    public static final Objectives NONE = new Objectives(null, null, 0);

    /** Whether any objective is set. */
    public boolean any() {
        return rpo != null || drillEvery != null || copies > 0;
    }

    /**
     * The stricter of each objective of this and {@code other}: a member of a set keeps the set's
     * promise as well as its own, so the shorter period and the larger number of copies win.
     */
    public Objectives strictest(Objectives other) {
        return new Objectives(
                shorter(rpo, other.rpo), shorter(drillEvery, other.drillEvery), Math.max(copies, other.copies));
    }

    private static Duration shorter(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}

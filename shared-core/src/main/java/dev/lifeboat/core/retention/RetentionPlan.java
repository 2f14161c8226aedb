package dev.lifeboat.core.retention;

import java.util.List;

/**
 * What a policy does to one database's backups: both lists newest first, and every kept backup says
 * which rules keep it (e.g. {@code keep_daily}, {@code keep_within 30d}, {@code newest verified}).
 */
public record RetentionPlan(RetentionPolicy policy, List<Kept> keep, List<Candidate> remove) {
    public RetentionPlan {
        keep = List.copyOf(keep);
        remove = List.copyOf(remove);
    }

    /** A backup that stays, with the rules that keep it, in policy order. */
    public record Kept(Candidate candidate, List<String> reasons) {
        public Kept {
            reasons = List.copyOf(reasons);
        }
    }

    public List<String> keepIds() {
        return keep.stream().map(k -> k.candidate().id()).toList();
    }

    public List<String> removeIds() {
        return remove.stream().map(Candidate::id).toList();
    }
}

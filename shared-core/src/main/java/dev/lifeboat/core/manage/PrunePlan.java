package dev.lifeboat.core.manage;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;
import java.util.List;

/**
 * What pruning would remove and why everything else stays. A dry run by default: removal needs the
 * confirmation token this plan carries.
 *
 * @param groups one entry per store and database with backups
 * @param removeCount how many backups would be removed
 * @param removeBytes how many stored bytes that frees
 * @param expiredCopies databases that replacing restores kept for undo and whose keep_previous has
 *     passed: dropped with the backups
 * @param confirmation the token for executing exactly this plan, or null when nothing would be removed
 * @param summary the plan in plain words
 */
public record PrunePlan(
        List<Group> groups,
        int removeCount,
        long removeBytes,
        List<ExpiredCopy> expiredCopies,
        Confirmation confirmation,
        String summary)
        implements Plan {

    /**
     * A previous copy of a database past its keep_previous.
     *
     * @param database the configured database whose server holds it
     * @param server host:port
     * @param target the database it was, before a restore replaced it
     * @param name its name now: a database, or with {@code keptTables} a schema in {@code target}
     * @param expiredAt when it expired
     * @param keptTables whether it is the schema in which a selective restore kept the tables it
     *     replaced (dropped with them), rather than a whole database
     */
    public record ExpiredCopy(
            String database, String server, String target, String name, Instant expiredAt, boolean keptTables) {
        public ExpiredCopy(String database, String server, String target, String name, Instant expiredAt) {
            this(database, server, target, name, expiredAt, false);
        }
    }

    /** Whether carrying the plan out removes anything. */
    public boolean removesAnything() {
        return removeCount > 0 || !expiredCopies.isEmpty();
    }

    /**
     * The backups of one database in one store.
     *
     * @param store the store
     * @param database the configured database name
     * @param policy the policy applied, in words (or why none was)
     * @param keep survivors, newest first, each with the rules that keep it
     * @param remove backups that would be removed, newest first
     */
    public record Group(String store, String database, String policy, List<Kept> keep, List<Removal> remove) {
        /** Whether a retention policy applies: a source without one keeps everything and is only counted. */
        public boolean hasPolicy() {
            return !NO_POLICY.equals(policy);
        }
    }

    /** The policy of a group that has none. */
    public static final String NO_POLICY = "no retention policy: everything is kept";

    /** A survivor and the rules that keep it ("keep_daily", "newest verified", "no policy"). */
    public record Kept(String backupId, Instant createdAt, List<String> reasons) {}

    /** A backup the plan removes, with its label (null without one) so that a person knows it by name. */
    public record Removal(String backupId, Instant createdAt, long sizeBytes, String label) {}
}

package dev.lifeboat.core.schedule;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's hold on one slot while it runs it: the claim (or takeover) in the run markers, the
 * heartbeat that keeps its lease, and the run's own cancel signal, which the caller's cancels too and
 * which a lost lease cancels alone. {@link RunMarkers} says how the claim and the takeover work.
 */
final class SlotClaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotClaim.class);

    /**
     * How long a claim lives without a sign of life, and how often its holder gives one.
     *
     * @param lease after this long without a heartbeat, the slot is taken over by the next worker
     * @param beat how often the holder writes its heartbeat (and looks for a takeover)
     */
    record Timing(Duration lease, Duration beat) {
        /**
         * A schedule's lease, beaten ten times within it (at most once a minute, at least once a
         * second): ten missed beats before a takeover, so a slow store or a long pause is not taken for death.
         */
        static Timing of(Duration lease) {
            Duration beat = lease.dividedBy(10);
            if (beat.compareTo(Duration.ofMinutes(1)) > 0) {
                beat = Duration.ofMinutes(1);
            }
            if (beat.compareTo(Duration.ofSeconds(1)) < 0) {
                beat = Duration.ofSeconds(1);
            }
            return new Timing(lease, beat);
        }
    }

    private final RunMarkers markers;
    private final RunMarkers.Claim mine;
    private final CancelSignal signal = new CancelSignal();
    private final CancelSignal.Registration linked;
    private final OperationContext context;
    private final ScheduledExecutorService heart;
    private volatile RunMarkers.Claim lostTo;

    private SlotClaim(
            RunMarkers markers,
            RunMarkers.Claim mine,
            OperationContext caller,
            Timing timing,
            Supplier<Instant> clock) {
        this.markers = markers;
        this.mine = mine;
        this.linked = caller.cancel().onCancel(signal::cancel);
        this.context = new OperationContext(caller.transport(), caller.subject(), caller.progress(), signal);
        if (mine == null) {
            this.heart = null;
            return;
        }
        this.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-slot-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = timing.beat().toMillis();
        heart.scheduleWithFixedDelay(() -> beat(clock), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Claims {@code slot} for {@code worker}, saying what happened in {@code steps}: null when another
     * worker holds it (the caller skips the slot); otherwise the claim to run under (a claim that
     * could not be written at all runs unclaimed, as before leases).
     */
    static SlotClaim take(
            RunMarkers markers,
            RunMarkers.Claim claim,
            Timing timing,
            Instant now,
            Supplier<Instant> clock,
            OperationContext caller,
            List<SlotResult.Step> steps) {
        RunMarkers.Taken taken;
        try {
            taken = markers.claim(claim, timing.lease(), now);
        } catch (LifeboatException e) {
            if (e.code() == ErrorCode.CANCELLED) {
                throw e;
            }
            // the backup itself will say what is wrong with the store (and be announced); run unclaimed
            LOG.warn("schedule {}: the run marker could not be written: {}", claim.schedule(), e.getMessage());
            steps.add(new SlotResult.Step(
                    "claim", claim.schedule(), false, e.code().name(), "run marker not written: " + e.getMessage()));
            return new SlotClaim(markers, null, caller, timing, clock);
        }
        RunMarkers.Claim h = taken.holder();
        if (!taken.won()) {
            steps.add(SlotResult.Step.done(
                    "claim",
                    claim.schedule(),
                    "slot " + claim.slot() + " was taken by " + h.worker()
                            + (h.claimedAt() == null ? "" : " at " + h.claimedAt()) + ": not run again"));
            return null;
        }
        if (taken.lapsed() != null) {
            RunMarkers.Claim l = taken.lapsed();
            steps.add(SlotResult.Step.done(
                    "claim",
                    claim.schedule(),
                    "taken over from " + l.worker() + " (claimed " + l.claimedAt() + "), silent longer than its "
                            + l.leaseSeconds() + " s lease: it died without an outcome"));
        }
        if (!markers.exclusive()) {
            steps.add(SlotResult.Step.done(
                    "claim",
                    claim.schedule(),
                    "the marker store does not enforce create-only writes: two workers racing for this slot"
                            + " could both run it"));
        }
        return new SlotClaim(markers, h, caller, timing, clock);
    }

    /** The operation the run goes on with: the caller's, with a cancel signal of the run's own. */
    OperationContext context() {
        return context;
    }

    /** Whether the slot was claimed (false: the marker could not be written and it runs unclaimed). */
    boolean held() {
        return mine != null;
    }

    /** The claim that took the slot over from this one while it ran, or null. */
    RunMarkers.Claim lostTo() {
        return lostTo;
    }

    private void beat(Supplier<Instant> clock) {
        try {
            if (markers.supersededAt(mine)) {
                RunMarkers.Claim other = markers.holder(mine.schedule(), mine.slot());
                lostTo = other != null ? other : mine;
                LOG.warn(
                        "schedule {}: slot {} was taken over by {} (this worker was silent longer than its lease):"
                                + " stopping this run",
                        mine.schedule(),
                        mine.slot(),
                        other == null ? "another worker" : other.worker());
                signal.cancel();
                heart.shutdown();
                return;
            }
            markers.beat(mine, clock.get());
        } catch (RuntimeException e) {
            // a store that cannot be reached now may be reachable at the next beat; the lease is long
            LOG.warn("schedule {}: heartbeat not written: {}", mine.schedule(), e.getMessage());
        }
    }

    /** Gives the slot back after a cancelled run, unless another worker has taken it over. */
    void release() {
        close();
        if (mine == null || lostTo != null) {
            return;
        }
        try {
            markers.release(mine.schedule(), mine.slot());
        } catch (LifeboatException e) {
            LOG.warn(
                    "schedule {}: the cancelled slot's claim could not be given back: {}",
                    mine.schedule(),
                    e.getMessage());
        }
    }

    /** Records the outcome (when the slot was claimed and is still this worker's) and stops the heartbeat. */
    void finish(SlotResult result) {
        close();
        if (mine == null) {
            return;
        }
        try {
            markers.finish(result);
        } catch (LifeboatException e) {
            // the run happened; only the record of it is missing, and the claim still marks the slot taken
            LOG.warn("schedule {}: the run's outcome marker could not be written: {}", mine.schedule(), e.getMessage());
        }
    }

    @Override
    public void close() {
        linked.close();
        if (heart != null) {
            heart.shutdownNow();
        }
    }
}

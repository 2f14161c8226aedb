package dev.lifeboat.core.schedule;

import dev.lifeboat.core.base.LifeboatException;
import java.time.Instant;
import java.util.List;

/**
 * How one slot of a schedule went: what was backed up and what each follow-up did. Also what a slot's
 * {@code done.json} marker holds, so {@code schedule list} on any host shows the last run.
 *
 * @param schedule the schedule's name
 * @param slot the fire time the run belongs to
 * @param status the outcome as a whole
 * @param worker {@code host:pid} of the process that ran it (or found it taken)
 * @param startedAt when the run started
 * @param finishedAt when it ended
 * @param backupIds the backups it committed, in order
 * @param steps every step in the order it ran (backup, verify, copy, prune), or the claim that was
 *     lost
 */
public record SlotResult(
        String schedule,
        Instant slot,
        Status status,
        String worker,
        Instant startedAt,
        Instant finishedAt,
        List<String> backupIds,
        List<Step> steps) {

    public SlotResult {
        backupIds = backupIds == null ? List.of() : List.copyOf(backupIds);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** The outcome of a slot as a whole. */
    public enum Status {
        /** Every step succeeded. */
        OK,
        /** A step failed (the others still ran where they could). */
        FAILED,
        /** Another worker (or an earlier run of this one) had already taken the slot: nothing was done. */
        SKIPPED
    }

    /** The first failed step, or null. */
    public Step firstFailure() {
        return steps.stream().filter(s -> !s.ok()).findFirst().orElse(null);
    }

    /**
     * One step of a run.
     *
     * @param action {@code claim}, {@code backup}, {@code verify}, {@code copy} or {@code prune}
     * @param subject what it acted on: a source, a backup id, {@code ID -> store}
     * @param ok whether it succeeded
     * @param errorCode the failure's error code, or null
     * @param message what happened, in words (redacted like every error message)
     */
    public record Step(String action, String subject, boolean ok, String errorCode, String message) {
        /** A step that did what it should, or had nothing to do; {@code message} says which. */
        static Step done(String action, String subject, String message) {
            return new Step(action, subject, true, null, message);
        }

        /** A step that failed with {@code e}: its code and message. */
        static Step failed(String action, String subject, LifeboatException e) {
            return new Step(action, subject, false, e.code().name(), e.getMessage());
        }
    }
}

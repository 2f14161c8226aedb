package dev.lifeboat.core.schedule;

import java.time.Instant;

/**
 * What the scheduler tells whoever runs it, one line each: a face prints them (text or JSON lines).
 *
 * @param type what happened
 * @param schedule the schedule's name, or null for the scheduler as a whole
 * @param slot the slot concerned, or null
 * @param at when it happened
 * @param message what happened, in words
 * @param result a finished slot's result, or null
 */
public record ScheduleEvent(Type type, String schedule, Instant slot, Instant at, String message, SlotResult result) {

    /** The kinds of events. */
    public enum Type {
        /** Started: each schedule with its last run and next fire time. */
        WATCHING,
        /** A slot's run began; the message says why (on time, missed while down, never ran, late). */
        STARTED,
        /** A slot's run ended (ok, failed or skipped: see the result). */
        FINISHED,
        /** A slot's run could not even start, or was cancelled. */
        FAILED,
        /** A slot came while the previous run of the same schedule still ran: it runs when that one ends. */
        OVERLAP,
        /** Stopping (a signal): no new run starts, a running one is cancelled cleanly. */
        STOPPING,
        /** Stopped. */
        STOPPED
    }
}

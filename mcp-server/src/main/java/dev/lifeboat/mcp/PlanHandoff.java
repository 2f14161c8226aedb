package dev.lifeboat.mcp;

import dev.lifeboat.core.confirm.Plan;

/**
 * A plan handed from the work that made it to the request that asks the person to confirm it, which
 * can only happen while that request is open. Once the request has stopped waiting (its call answered
 * 'running', or it ended), a plan made later is refused here, and its call says it could not be asked
 * instead of claiming that the person is being asked.
 */
final class PlanHandoff {
    private Plan plan;
    private boolean closed;

    /** Hands {@code p} over; false when the request no longer waits for it. */
    synchronized boolean offer(Plan p) {
        if (closed) {
            return false;
        }
        plan = p;
        return true;
    }

    /** The request stops waiting: the plan handed over so far, or null; later offers are refused. */
    synchronized Plan close() {
        closed = true;
        return plan;
    }

    /** The plan handed over so far, or null (for a re-run that must make none). */
    synchronized Plan get() {
        return plan;
    }
}

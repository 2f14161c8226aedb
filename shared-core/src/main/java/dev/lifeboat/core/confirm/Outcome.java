package dev.lifeboat.core.confirm;

import java.util.Objects;

/**
 * The answer of a destructive use case, one type for every face to render: either the act needs a
 * person's confirmation of {@link #plan()} and nothing was changed, or it ran and {@link #result()}
 * says what it did. A face shows the plan and asks (a typed name at a terminal, the token flow over
 * MCP) and calls the use case again with the token; it never decides on its own whether a token is
 * needed.
 *
 * @param <P> the plan
 * @param <R> the result
 */
public final class Outcome<P extends Plan, R> {
    private final P plan;
    private final R result;

    private Outcome(P plan, R result) {
        this.plan = plan;
        this.result = result;
    }

    /** Nothing was changed: a person must approve {@code plan}, whose confirmation carries the token. */
    public static <P extends Plan, R> Outcome<P, R> confirmationRequired(P plan) {
        Objects.requireNonNull(plan.confirmation(), "a plan that needs confirmation carries its token");
        return new Outcome<>(plan, null);
    }

    /** The act ran. */
    public static <P extends Plan, R> Outcome<P, R> done(R result) {
        return new Outcome<>(null, Objects.requireNonNull(result, "result"));
    }

    public boolean confirmationRequired() {
        return plan != null;
    }

    /** The plan to approve; null when the act ran. */
    public P plan() {
        return plan;
    }

    /** What the act did; null when it needs confirmation first. */
    public R result() {
        return result;
    }
}

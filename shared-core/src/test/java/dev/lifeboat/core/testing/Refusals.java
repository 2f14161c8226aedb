package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A refused call: what the service threw, asserted to be a {@link LifeboatException}, for a test to inspect. */
public final class Refusals {
    private Refusals() {}

    /** The {@link LifeboatException} {@code call} throws (the test fails if it throws nothing or anything else). */
    public static LifeboatException refused(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(LifeboatException.class);
        return (LifeboatException) t;
    }

    /** Asserts that {@code call} is refused with {@code code}; returns the exception for more checks. */
    public static LifeboatException refused(ErrorCode code, ThrowingCallable call) {
        LifeboatException e = refused(call);
        assertThat(e.code()).as("%s", e).isEqualTo(code);
        return e;
    }
}

package dev.lifeboat.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SessionRegistry sessions = new SessionRegistry(3, 2, Duration.ofSeconds(10), now::get);

    private static HttpRejection refusal(ThrowingAdmit admit) {
        try {
            admit.run();
        } catch (HttpRejection r) {
            return r;
        }
        throw new AssertionError("admitted");
    }

    private interface ThrowingAdmit {
        void run() throws HttpRejection;
    }

    @Test
    void capsPerSubjectWith429AndInAllWith503() throws Exception {
        sessions.admit("a", "token-a").bind("s1");
        sessions.admit("a", "token-a").bind("s2");
        HttpRejection perToken = refusal(() -> sessions.admit("a", "token-a"));
        assertThat(perToken.status()).isEqualTo(429);
        assertThat(perToken.getMessage()).contains("mcp.max_sessions_per_token").contains("DELETE /mcp");
        assertThat(perToken.retryAfterSeconds()).isPositive();

        sessions.admit("b", "token-b").bind("s3");
        HttpRejection total = refusal(() -> sessions.admit("c", "token-c"));
        assertThat(total.status()).isEqualTo(503);
        assertThat(total.getMessage()).contains("mcp.max_sessions");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.size("a")).isEqualTo(2);
    }

    @Test
    void aPlaceIsHeldFromAdmissionSoConcurrentInitializesCannotOvershoot() throws Exception {
        SessionRegistry.Admission first = sessions.admit("a", "token-a");
        SessionRegistry.Admission second = sessions.admit("a", "token-a");
        assertThatThrownBy(() -> sessions.admit("a", "token-a")).isInstanceOf(HttpRejection.class);
        first.release(); // its initialize made no session
        second.bind("s1");
        second.release(); // bound: nothing to give back
        assertThat(sessions.size("a")).isEqualTo(1);
        sessions.admit("a", "token-a");
        assertThat(sessions.size("a")).isEqualTo(2);
    }

    @Test
    void onlyBoundSessionsAreLetThroughAndDeleteEndsThem() throws Exception {
        assertThat(sessions.touch("nope", "token-a")).isFalse();
        sessions.admit("a", "token-a").bind("s1");
        assertThat(sessions.touch("s1", "token-a")).isTrue();
        sessions.ended("s1");
        assertThat(sessions.touch("s1", "token-a")).isFalse();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void idleSessionsEndAndAreClosedUnlessAStreamIsOpen() throws Exception {
        AtomicBoolean busy = new AtomicBoolean();
        AtomicInteger closed = new AtomicInteger();
        sessions.created("idle", () -> false, closed::incrementAndGet);
        sessions.admit("a", "token-a").bind("idle");
        sessions.created("streaming", busy::get, closed::incrementAndGet);
        sessions.admit("b", "token-b").bind("streaming");
        busy.set(true);

        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(sessions.sweep()).isZero();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(sessions.sweep()).isEqualTo(1);
        assertThat(closed).hasValue(1);
        assertThat(sessions.touch("idle", "token-a")).isFalse();
        assertThat(sessions.touch("streaming", "token-b")).isTrue();

        // the stream closed: idle from the last time the sweep saw it busy, or a request touched it
        busy.set(false);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(sessions.sweep()).isEqualTo(1);
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aRequestKeepsASessionAlive() throws Exception {
        sessions.admit("a", "token-a").bind("s1");
        now.addAndGet(Duration.ofSeconds(8).toNanos());
        sessions.touch("s1", "token-a");
        now.addAndGet(Duration.ofSeconds(8).toNanos());
        assertThat(sessions.sweep()).isZero();
        assertThat(sessions.touch("s1", "token-a")).isTrue();
    }

    @Test
    void sdkSessionsThatNeverBecameOursAreClosedToo() {
        AtomicInteger closed = new AtomicInteger();
        sessions.created("orphan", () -> false, closed::incrementAndGet);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(sessions.sweep()).isEqualTo(1);
        assertThat(closed).hasValue(1);
    }
}

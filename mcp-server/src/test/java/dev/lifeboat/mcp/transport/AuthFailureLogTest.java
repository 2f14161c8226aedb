package dev.lifeboat.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLogTest {
    @Test
    void theFirstRefusalIsLoggedAtOnceThenOneLinePerWindowWithTheCount() {
        AtomicLong now = new AtomicLong(0);
        AuthFailureLog log = new AuthFailureLog(60_000_000_000L, now::get);
        String first = log.refused(true, "127.0.0.1", "POST", "/mcp");
        assertThat(first)
                .contains("1 request for want of a valid bearer token (1 invalid, 0 missing)")
                .contains("POST /mcp from 127.0.0.1");
        for (int i = 0; i < 500; i++) {
            now.addAndGet(100_000_000L); // 50 s of a refusal every 0.1 s
            assertThat(log.refused(i % 2 == 0, "10.0.0.9", "GET", "/sse")).isNull();
        }
        now.addAndGet(10_000_000_000L);
        String next = log.refused(false, "10.0.0.9", "GET", "/sse");
        assertThat(next)
                .contains("501 requests")
                .contains("250 invalid, 251 missing")
                .contains("in the last 60 s");
    }

    @Test
    void neverTheTokenAndNotAnEndlessPath() {
        AuthFailureLog log = new AuthFailureLog(1, System::nanoTime);
        String line = log.refused(true, "127.0.0.1", "POST", "/" + "x".repeat(5000));
        assertThat(line.length()).isLessThan(300);
    }
}

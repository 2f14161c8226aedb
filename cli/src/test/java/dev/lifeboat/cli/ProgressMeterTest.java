package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    @Test
    void lineShowsBytesShareAndRate() {
        String line = ProgressMeter.line(50L << 20, 100L << 20, 2_000_000_000L, "dumping app");
        assertThat(line).isEqualTo("50.0 MiB / 100.0 MiB  50%  25.0 MiB/s  dumping app");
    }

    @Test
    void unknownTotalShowsBytesAndRateOnly() {
        assertThat(ProgressMeter.line(1536, -1, 1_000_000_000L, null)).isEqualTo("1.5 KiB  1.5 KiB/s");
    }

    @Test
    void redrawsAtMostTenTimesASecondAndClearsItsLine() {
        AtomicLong now = new AtomicLong();
        StringWriter err = new StringWriter();
        ProgressMeter meter = new ProgressMeter(new PrintWriter(err), now::get);
        for (int i = 1; i <= 100; i++) {
            now.addAndGet(10_000_000L); // 10 ms apart
            meter.report(i * 1024L, -1, null);
        }
        meter.close();
        long redraws = err.toString().chars().filter(c -> c == '\r').count() - 2; // close writes two
        assertThat(redraws).isBetween(9L, 11L);
        assertThat(err.toString()).endsWith("\r");
    }
}

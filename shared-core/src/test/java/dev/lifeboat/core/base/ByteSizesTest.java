package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteSizesTest {
    /** What human() printed before it stopped going through Formatter. */
    private static String formatted(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    @Test
    void printsWhatStringFormatPrinted() {
        for (long n = 0; n < 300_000; n++) {
            assertThat(ByteSizes.human(n)).as("%d", n).isEqualTo(formatted(n));
        }
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 1_000_000; i++) {
            long n = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            assertThat(ByteSizes.human(n)).as("%d", n).isEqualTo(formatted(n));
        }
        // around every unit and every rounding edge of one decimal (x.x5 of each unit)
        for (int unit = 1; unit <= 6; unit++) {
            double scale = Math.pow(1024, unit);
            for (int tenths = 0; tenths < 10_240; tenths++) {
                long n = (long) ((tenths + 0.5) / 10 * scale);
                for (long d = -3; d <= 3; d++) {
                    if (n + d >= 0) {
                        assertThat(ByteSizes.human(n + d)).as("%d", n + d).isEqualTo(formatted(n + d));
                    }
                }
            }
        }
        assertThat(ByteSizes.human(Long.MAX_VALUE))
                .isEqualTo(formatted(Long.MAX_VALUE))
                .isEqualTo("8192.0 PiB");
        assertThat(ByteSizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSizes.human(1023)).isEqualTo("1023 B");
    }
}

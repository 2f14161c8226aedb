package dev.lifeboat.cli;

import dev.lifeboat.core.base.ByteSizes;
import java.time.Duration;
import java.util.Locale;

/** Numbers for people: byte sizes in binary units, durations in the largest sensible unit. */
public final class Sizes {
    private Sizes() {}

    public static String bytes(long n) {
        return ByteSizes.human(n);
    }

    public static String millis(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        Duration d = Duration.ofMillis(ms);
        if (d.toHours() == 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}

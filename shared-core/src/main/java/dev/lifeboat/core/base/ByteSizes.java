package dev.lifeboat.core.base;

import java.util.Locale;

/** Byte counts for people, in binary units: the one formatter every plan, message and face uses. */
public final class ByteSizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private ByteSizes() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 GiB}. */
    public static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }
}

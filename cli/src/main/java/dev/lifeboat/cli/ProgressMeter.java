package dev.lifeboat.cli;

import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.base.Redactor;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * One redrawn line on a terminal's stderr: bytes done (of the total when known), rate, what is
 * happening. Redrawn at most ten times a second so a fast pipe is not slowed by the terminal.
 */
public final class ProgressMeter implements Progress, AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int lastWidth;

    public ProgressMeter(PrintWriter err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /** A meter when stderr is a terminal, else nothing: progress lines in a log file are noise. */
    public static Progress forTerminal(Terminal terminal, PrintWriter err) {
        return terminal.stderrIsTerminal() ? new ProgressMeter(err, System::nanoTime) : Progress.NONE;
    }

    @Override
    public synchronized void report(long done, long total, String message) {
        try {
            long now = nanoClock.getAsLong();
            boolean finished = total > 0 && done >= total;
            if (!finished && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            String line = line(done, total, now - start, message);
            StringBuilder b = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < lastWidth; i++) {
                b.append(' ');
            }
            lastWidth = line.length();
            err.print(b);
            err.flush();
        } catch (RuntimeException ignored) {
            // progress is a courtesy: it must never fail the operation it reports on
        }
    }

    static String line(long done, long total, long elapsedNanos, String message) {
        StringBuilder b = new StringBuilder(Sizes.bytes(done));
        if (total > 0) {
            b.append(" / ").append(Sizes.bytes(total));
            b.append(String.format(" %3d%%", Math.min(100, done * 100 / total)));
        }
        double seconds = elapsedNanos / 1e9;
        if (seconds > 0.05) {
            b.append("  ").append(Sizes.bytes((long) (done / seconds))).append("/s");
        }
        if (message != null && !message.isBlank()) {
            b.append("  ").append(Redactor.global().redact(message));
        }
        return b.toString();
    }

    /** Clears the line so the result starts on a clean one. */
    @Override
    public synchronized void close() {
        if (lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }
}

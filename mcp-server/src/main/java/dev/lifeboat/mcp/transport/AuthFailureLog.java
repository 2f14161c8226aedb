package dev.lifeboat.mcp.transport;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused bearer tokens without flooding the log: the first refusal at once, then at most one
 * line per window saying how many were refused since the last line. The token itself is never logged,
 * nor its hash; the remote address and the request line are.
 */
final class AuthFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthentication.class);

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean loggedOnce;
    private int invalidSince;
    private int missingSince;

    AuthFailureLog(long windowNanos, LongSupplier nanoTime) {
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one refusal and logs when the window allows.
     *
     * @param invalid true for a token that matched no configured hash, false for a request without one
     * @return the line logged, or null when it was counted only
     */
    synchronized String refused(boolean invalid, String remote, String method, String path) {
        if (invalid) {
            invalidSince++;
        } else {
            missingSince++;
        }
        long now = nanoTime.getAsLong();
        if (loggedOnce && now - lastLogged < windowNanos) {
            return null;
        }
        String line =
                "refused " + plural(invalidSince + missingSince, "request") + " for want of a valid bearer token ("
                        + invalidSince + " invalid, " + missingSince + " missing"
                        + (loggedOnce ? ", in the last " + Math.max(1, (now - lastLogged) / 1_000_000_000L) + " s" : "")
                        + "); latest: " + method + " " + shorten(path) + " from " + remote;
        LOG.warn(line);
        loggedOnce = true;
        lastLogged = now;
        invalidSince = 0;
        missingSince = 0;
        return line;
    }

    private static String shorten(String path) {
        return path == null || path.length() <= 100 ? path : path.substring(0, 100) + "...";
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

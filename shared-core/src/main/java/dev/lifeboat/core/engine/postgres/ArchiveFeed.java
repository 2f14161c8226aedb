package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An archive streamed into a child's stdin on a thread of its own. A failure to read the archive (its
 * source's own error: damaged, unreadable, cancelled) kills the child, so it cannot finish on what it
 * was given, and is kept for the caller to throw; the child closing its stdin (it is done, or it
 * failed) just ends the feed.
 */
final class ArchiveFeed implements AutoCloseable {
    private final Thread thread;
    private volatile RuntimeException failure;

    private ArchiveFeed(ChildProcess child, InputStream archive) {
        this.thread = new Thread(() -> pump(child, archive), "pg_restore-stdin-" + child.pid());
        thread.setDaemon(true);
    }

    /** Starts feeding {@code archive} to {@code child}, which must have been started reading its stdin. */
    static ArchiveFeed start(ChildProcess child, InputStream archive) {
        ArchiveFeed feed = new ArchiveFeed(child, archive);
        feed.thread.start();
        return feed;
    }

    private void pump(ChildProcess child, InputStream archive) {
        byte[] buf = new byte[128 * 1024];
        try (OutputStream out = child.stdin()) {
            while (true) {
                int n;
                try {
                    n = archive.read(buf);
                } catch (IOException e) {
                    throw new LifeboatException(
                            ErrorCode.STORE_UNAVAILABLE, "cannot read the archive: " + e.getMessage(), null, e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the child closed its stdin: it has read what it needs, or it failed (its exit says which)
        } catch (RuntimeException e) {
            failure = e;
            child.kill();
        }
    }

    /**
     * Waits for the feed to end; the archive's read failure if there was one, else null. Call after
     * the child exited.
     */
    RuntimeException awaitFailure() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}

package dev.lifeboat.core.archive;

import dev.lifeboat.core.catalog.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * The SHA-256 pass over a local store's archive file, run on a daemon thread so it overlaps the
 * restore's questions to the target server (connecting, does the database exist?) instead of
 * following them. The restore still waits for {@link #await} and compares the result before
 * anything touches the target. Closing stops an unfinished pass (the file channel is interruptible).
 */
public final class BackgroundHash implements AutoCloseable {
    private final CompletableFuture<HashingInputStream> result = new CompletableFuture<>();
    private final Thread thread;
    private final Path file;
    /** The hold on the file that is hashed and then restored from, released on close; or null. */
    private final PinnedArchive pinned;

    private BackgroundHash(InputStream in, LongConsumer progress, Path file, PinnedArchive pinned) {
        this.file = file;
        this.pinned = pinned;
        this.thread = new Thread(
                () -> {
                    try (in) {
                        result.complete(HashingInputStream.drain(in, progress));
                    } catch (IOException | RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                },
                "archive-sha256");
        thread.setDaemon(true);
    }

    /** Starts hashing {@code file}; an unreadable file fails here, as the in-line pass would. */
    public static BackgroundHash start(Path file, LongConsumer progress) throws IOException {
        BackgroundHash h = new BackgroundHash(Files.newInputStream(file), progress, file, null);
        h.thread.start();
        return h;
    }

    /** Starts hashing a pinned archive, which is then released when this is closed. */
    static BackgroundHash start(PinnedArchive pinned, LongConsumer progress) throws IOException {
        BackgroundHash h = new BackgroundHash(Files.newInputStream(pinned.path()), progress, pinned.path(), pinned);
        h.thread.start();
        return h;
    }

    /** The file this pass hashes: the one to restore from. */
    Path file() {
        return file;
    }

    /**
     * The finished pass (its byte count, SHA-256 and first bytes). An interrupt of the waiting thread
     * (a cancel) stops the pass and is reported as {@link InterruptedIOException}.
     */
    public HashingInputStream await() throws IOException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            close();
            throw new InterruptedIOException("cancelled while verifying the archive");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (!result.isDone()) {
            thread.interrupt();
        }
        if (pinned != null) {
            pinned.close();
        }
    }
}

package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A replace's shadow database created on a thread of its own while the archive is read in line (a
 * spool decoded, or a file hashed before pg_restore may open it): creating a database costs a
 * fixed ~0.2 s whatever its size, and the read needs nothing from the server. The caller makes no
 * other use of the server connection until {@link #await} or {@link #settle} returned.
 */
final class ShadowCreation {
    private final FutureTask<Void> task;

    private ShadowCreation(FutureTask<Void> task) {
        this.task = task;
    }

    /** Starts creating {@code shadow} like {@code like}. */
    static ShadowCreation start(Databases databases, ConnectionSpec shadow, Databases.DatabaseProfile like) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            databases.createLike(shadow, like);
            Timeline.mark("restore: shadow database created (while the archive was read)");
            return null;
        });
        Thread t = new Thread(task, "lifeboat-shadow-create");
        t.setDaemon(true);
        t.start();
        return new ShadowCreation(task);
    }

    /** Waits for the shadow; its creation's failure is thrown as it came. */
    void await() {
        try {
            waitUninterruptibly();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LifeboatException l) {
                throw l;
            }
            throw new LifeboatException(
                    ErrorCode.INTERNAL,
                    "creating the database beside the target failed: " + e.getCause(),
                    null,
                    e.getCause());
        }
    }

    /**
     * After a failure elsewhere: waits for the creation to end, and says whether the shadow exists
     * (so that it is dropped).
     */
    boolean settle() {
        try {
            waitUninterruptibly();
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** A cancelled restore still waits for the server's answer: the shadow must be known to drop it. */
    private void waitUninterruptibly() throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.lifeboat.core.base;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a front end stop a running operation (an MCP {@code notifications/cancelled}, a Ctrl-C). The
 * service registers what must happen on cancel (kill the child process, interrupt the worker) and
 * cleans up what it created; the operation then ends with CANCELLED.
 */
public final class CancelSignal {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    /** Cancels: runs every registered callback once. Safe to call from any thread, more than once. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable r : callbacks) {
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // one failing callback must not stop the others from cleaning up
                }
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Registers {@code r} to run on cancel (at once if already cancelled); close the handle to unregister. */
    public Registration onCancel(Runnable r) {
        callbacks.add(r);
        if (cancelled.get()) {
            r.run();
        }
        return () -> callbacks.remove(r);
    }

    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled", null);
        }
    }

    /** A registered callback; closing it unregisters. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

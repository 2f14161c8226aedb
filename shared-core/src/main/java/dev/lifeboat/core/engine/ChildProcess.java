package dev.lifeboat.core.engine;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool run as a child process with an explicit environment (nothing inherited), its stderr captured
 * in the background (the last {@value #STDERR_TAIL} bytes, redacted on the way out), and a kill that
 * takes the whole process tree down. Cleanups (a temporary passfile) run once the child is gone,
 * however it ended.
 */
public final class ChildProcess implements AutoCloseable {
    static final int STDERR_TAIL = 64 * 1024;
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stderrReader = new Thread(this::captureStderr, name + "-stderr-" + process.pid());
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /**
     * Starts {@code command} with exactly {@code environment}. With {@code stdinPipe} false the child
     * reads /dev/null. {@code cleanup} (may be null) runs once the child has ended, also when starting
     * fails.
     */
    public static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, boolean stdinPipe, Runnable cleanup) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        if (!stdinPipe) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            ChildProcess child = new ChildProcess(name, pb.start());
            if (cleanup != null) {
                child.cleanups.add(cleanup);
            }
            return child;
        } catch (IOException e) {
            if (cleanup != null) {
                cleanup.run();
            }
            throw new LifeboatException(
                    ErrorCode.TOOL_FAILED,
                    "cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(),
                    "check that the file exists and is executable");
        }
    }

    public long pid() {
        return process.pid();
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@link #kill()} was called. */
    public boolean wasKilled() {
        return killed.get();
    }

    /**
     * Waits for the child to exit and returns its exit code. If the calling thread is interrupted, kills
     * the child and throws CANCELLED. The interrupt is consumed (the thread's flag is left clear) so the
     * caller's cleanup code can still do blocking I/O; the CANCELLED exception carries the news.
     */
    public int waitFor() {
        try {
            int code = process.waitFor();
            runCleanups();
            return code;
        } catch (InterruptedException e) {
            kill();
            throw cancelled();
        }
    }

    /** Like {@link #waitFor()}, but gives up after {@code timeout}: kills the child and throws TOOL_FAILED. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new LifeboatException(
                        ErrorCode.TOOL_FAILED, name + " did not finish within " + timeout.toSeconds() + " s", null);
            }
            runCleanups();
            return process.exitValue();
        } catch (InterruptedException e) {
            kill();
            throw cancelled();
        }
    }

    public LifeboatException cancelled() {
        return new LifeboatException(ErrorCode.CANCELLED, name + " was cancelled", null);
    }

    /**
     * Terminates the child and every process it started: SIGTERM, then SIGKILL after a grace period.
     * Safe to call more than once and from any thread. Ignores (but preserves) an interrupt so the tree
     * is really gone when it returns.
     */
    public void kill() {
        killed.set(true);
        // descendants first: once the parent dies they are re-parented and no longer findable from it
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : tree) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    p.onExit().get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (Exception e) {
                    break; // timed out: the forcible kill below takes over
                }
            }
        }
        for (ProcessHandle p : tree) {
            if (p.isAlive()) {
                log.debug("{} (pid {}) ignored SIGTERM; killing it", name, p.pid());
                p.destroyForcibly();
            }
        }
        try {
            while (process.isAlive()) {
                try {
                    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            runCleanups();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What the child wrote to stderr (the tail, redacted). Waits briefly for the capture thread to reach
     * the end of the stream when the child has exited.
     */
    public String stderr() {
        if (!process.isAlive()) {
            try {
                stderrReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8);
        }
        return Redactor.global().redact(text.strip());
    }

    /** Kills the child if it still runs; runs the cleanups. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        runCleanups();
    }

    private void runCleanups() {
        if (cleaned.compareAndSet(false, true)) {
            for (Runnable r : cleanups) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn(
                            "cleanup after {} failed: {}",
                            name,
                            Redactor.global().redact(e.toString()));
                }
            }
        }
    }

    private void captureStderr() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (stderr) {
                    stderr.write(buf, 0, n);
                    if (stderr.size() > 2 * STDERR_TAIL) {
                        byte[] all = stderr.toByteArray();
                        stderr.reset();
                        stderr.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone or was killed: what we have is what there is
        }
        synchronized (stderr) {
            if (stderr.size() > STDERR_TAIL) {
                byte[] all = stderr.toByteArray();
                stderr.reset();
                stderr.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
            }
        }
    }
}

package dev.lifeboat.core.engine;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>A child dies with Lifeboat, also when Lifeboat is killed with SIGKILL and nothing of the JVM
 * runs. Every child starts through {@link #WATCHED}, a few lines of {@code /bin/sh} that fork a
 * watchdog and then {@code exec} the tool (so the tool keeps the pid the JVM knows) in a session and
 * process group of its own ({@code setsid}, util-linux). The watchdog blocks reading the child's
 * stdin, a pipe whose only writer is this JVM and which the JVM never writes to: it reaches EOF when
 * the JVM dies (the kernel closes the dead process's descriptors) or when the JVM has reaped the
 * child and closes it; then the watchdog sends SIGKILL to the child's process group and pid, which
 * takes pg_restore's parallel workers down too. Why not the alternatives:
 *
 * <ul>
 *   <li>{@code PR_SET_PDEATHSIG} ({@code setpriv --pdeathsig KILL}) fires when the <em>thread</em>
 *       that forked the child ends, not the process; children are started from pool threads (the MCP
 *       server's Reactor workers are retired when idle, {@link #start} callers include short-lived
 *       threads), so a live JVM would see its pg_restore killed. It also reaches only the direct
 *       child, not pg_restore's workers.
 *   <li>One watchdog per JVM told each child's pid over a pipe leaves a window between the spawn and
 *       the message in which a SIGKILL orphans the child. Here the watchdog exists before the tool
 *       does: if the JVM dies before the {@code exec}, it kills the shell that would have become the
 *       tool.
 * </ul>
 *
 * The watchdog is forked twice so that it is no child of the tool (pg_restore's {@code wait()} for
 * its workers must not reap it), ignores the terminal's and a group's HUP, INT, QUIT and TERM (the
 * tool, in its own session, no longer receives them; the JVM's exit is what must stop it), and reads
 * nothing but EOF. Its one race: after a normal exit the JVM reaps the child before closing the pipe,
 * so the kill goes to a pid just freed; the kernel hands pids out in increasing order, so a reuse
 * within that millisecond would need the whole pid space to wrap. A child that reads data on stdin
 * (pg_restore fed from the store) is watched by polling instead ({@link #FED}).
 */
public final class ChildProcess implements AutoCloseable {
    static final int STDERR_TAIL = 64 * 1024;

    /**
     * The wrapper for a child that reads nothing: "$@" is the command (after {@code setsid}). The
     * shell's own PWD is unset so the child's environment stays exactly the allow-listed one.
     */
    static final String WATCHED = """
            unset PWD OLDPWD
            exec 3<&0 </dev/null
            ( ( trap '' HUP INT QUIT TERM
                while read -r _; do :; done <&3
                kill -s KILL -- -$$ $$ ) </dev/null >/dev/null 2>&1 & )
            exec "$@" 3<&-
            """;

    /**
     * The wrapper for a child that reads its input on stdin (pg_restore fed an archive from the store):
     * stdin is the data, so the watchdog cannot wait for its EOF, and a pg_restore waiting on a lock
     * would not read it anyway. The shell stays the tool's parent (the pid the JVM knows), and the
     * watchdog polls: once a second, whether the JVM that started the shell ({@code $PPID}) is still
     * there; when it is not, it kills the tool's group and the shell. It ends by itself when the shell
     * ends (the tool exited), so a long-running server does not collect watchdogs. The shell forwards
     * TERM, INT and HUP to the tool and exits with its status.
     */
    static final String FED = """
            unset PWD OLDPWD
            jvm=$PPID
            exec 3<&0
            "$@" <&3 3<&- &
            tool=$!
            exec 3<&-
            ( ( trap '' HUP INT QUIT TERM
                while kill -0 "$jvm" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done
                if ! kill -0 "$jvm" 2>/dev/null; then kill -s KILL -- -"$tool" "$tool" $$; fi
              ) </dev/null >/dev/null 2>&1 & )
            trap 'kill -s TERM "$tool" 2>/dev/null' TERM INT HUP
            while :; do
                wait "$tool"; status=$?
                kill -0 "$tool" 2>/dev/null || exit "$status"
            done
            """;

    private static final String SHELL = "/bin/sh";
    /** util-linux's setsid; without it (not seen on Linux) the child stays in Lifeboat's group. */
    private static final String SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElse(null);

    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();

    /** Takes each line of stderr first; a line it returns true for is not kept for {@link #stderr()}. */
    private final java.util.function.Predicate<String> stderrLines;

    private ChildProcess(String name, Process process, java.util.function.Predicate<String> stderrLines) {
        this.name = name;
        this.process = process;
        this.stderrLines = stderrLines;
        this.stderrReader = new Thread(this::captureStderr, name + "-stderr-" + process.pid());
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /**
     * Starts {@code command} with exactly {@code environment}. With {@code stdinPipe} false the child
     * reads /dev/null and is killed when this JVM dies; with it true the child reads {@link #stdin()}
     * and ends at its EOF. {@code cleanup} (may be null) runs once the child has ended, also when starting
     * fails.
     */
    public static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, boolean stdinPipe, Runnable cleanup) {
        return start(name, command, environment, stdinPipe, cleanup, null);
    }

    /**
     * As {@link #start(String, List, Map, boolean, Runnable)}, handing each line the child writes to
     * stderr to {@code stderrLines} as it comes (its progress, say); a line it consumes (returns true
     * for) is left out of {@link #stderr()}, which then keeps what reports a failure.
     */
    public static ChildProcess start(
            String name,
            List<String> command,
            Map<String, String> environment,
            boolean stdinPipe,
            Runnable cleanup,
            java.util.function.Predicate<String> stderrLines) {
        Path program = Path.of(command.get(0));
        if (program.isAbsolute() && !Files.isExecutable(program)) {
            // the shell would start and then fail to exec: say it here, as starting it directly did
            if (cleanup != null) {
                cleanup.run();
            }
            throw cannotStart(name, command, "not an executable file");
        }
        ProcessBuilder pb = new ProcessBuilder(wrapped(command, stdinPipe));
        pb.environment().clear();
        pb.environment().putAll(environment);
        // stdin stays a pipe either way: the child's input, or the watchdog's liveness pipe
        try {
            ChildProcess child = new ChildProcess(name, pb.start(), stderrLines);
            if (cleanup != null) {
                child.cleanups.add(cleanup);
            }
            return child;
        } catch (IOException e) {
            if (cleanup != null) {
                cleanup.run();
            }
            throw cannotStart(name, command, e.getMessage());
        }
    }

    /** {@code command} behind the shell that watches for this JVM's death ({@code fed}: without it). */
    static List<String> wrapped(List<String> command, boolean fed) {
        List<String> full = new ArrayList<>(List.of(SHELL, "-c", fed ? FED : WATCHED, "lifeboat-child"));
        if (SETSID != null) {
            full.add(SETSID);
        }
        full.addAll(command);
        return full;
    }

    private static LifeboatException cannotStart(String name, List<String> command, String why) {
        return new LifeboatException(
                ErrorCode.TOOL_FAILED,
                "cannot start " + name + " (" + command.get(0) + "): " + why,
                "check that the file exists and is executable");
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

    private void offer(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        line.reset();
        boolean consumed;
        try {
            consumed = stderrLines.test(new String(bytes, StandardCharsets.UTF_8).stripTrailing());
        } catch (RuntimeException e) {
            log.debug("{}: a stderr line handler failed: {}", name, e.toString());
            consumed = false;
        }
        if (!consumed) {
            keep(bytes, 0, bytes.length);
        }
    }

    private void keep(byte[] buf, int off, int n) {
        synchronized (stderr) {
            stderr.write(buf, off, n);
            if (stderr.size() > 2 * STDERR_TAIL) {
                trimToTail();
            }
        }
    }

    /**
     * Keeps only the last {@link #STDERR_TAIL} bytes of stderr (the caller holds its lock): while the
     * child runs this happens at twice the tail, so the copy is not made for every line.
     */
    private void trimToTail() {
        if (stderr.size() > STDERR_TAIL) {
            byte[] all = stderr.toByteArray();
            stderr.reset();
            stderr.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
        }
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
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (stderrLines == null) {
                    keep(buf, 0, n);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    line.write(buf[i]);
                    if (buf[i] == '\n' || line.size() >= STDERR_TAIL) {
                        offer(line);
                    }
                }
            }
            if (line.size() > 0) {
                offer(line);
            }
        } catch (IOException e) {
            // the child is gone or was killed: what we have is what there is
        }
        synchronized (stderr) {
            trimToTail();
        }
    }
}

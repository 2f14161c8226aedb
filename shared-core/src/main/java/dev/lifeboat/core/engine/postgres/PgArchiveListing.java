package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An archive's table of contents, read by {@code pg_restore --list} from a stream: the archive is fed
 * on the child's stdin, so a backup in any store, encrypted or compressed, is listed from its decoded
 * stream without a spool file, and only its head is read (pg_restore stops at the end of the table of
 * contents, which a custom archive keeps at its start).
 */
final class PgArchiveListing {
    private final PgTools tools;
    private final Map<String, String> environment;

    PgArchiveListing(PgTools tools, Map<String, String> environment) {
        this.tools = tools;
        this.environment = environment;
    }

    /** The entry lines, without pg_restore's ';' comments. */
    List<String> entries(InputStream archive) {
        List<String> entries = new ArrayList<>();
        for (String line : list(archive, false)) {
            if (!line.isBlank() && !line.startsWith(";")) {
                entries.add(line);
            }
        }
        return entries;
    }

    /** The entries with their dependencies ({@code --verbose} prints them as comment lines). */
    ArchiveToc tableOfContents(InputStream archive) {
        return ArchiveToc.parse(list(archive, true));
    }

    private List<String> list(InputStream archive, boolean verbose) {
        PgTools.PgTool tool = tools.newest("pg_restore");
        List<String> command = new ArrayList<>(List.of(tool.path().toString(), "--list"));
        if (verbose) {
            command.add("--verbose");
        }
        ChildProcess child =
                ChildProcess.start("pg_restore", command, PgClientEnvironment.base(environment), true, null);
        AtomicReference<RuntimeException> sourceFailure = new AtomicReference<>();
        Thread feeder = daemon("pg_restore-stdin-" + child.pid(), () -> feed(archive, child.stdin(), sourceFailure));
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        Thread reader = daemon("pg_restore-stdout-" + child.pid(), () -> {
            try (InputStream in = child.stdout()) {
                in.transferTo(listing);
            } catch (IOException e) {
                // the child was killed; its exit code tells
            }
        });
        try {
            int code = child.waitFor();
            reader.join(10_000);
            if (code != 0) {
                if (sourceFailure.get() != null) {
                    throw sourceFailure.get();
                }
                throw PgErrors.failed("pg_restore --list", code, child.stderr(), null);
            }
        } catch (InterruptedException e) {
            child.kill();
            throw child.cancelled();
        } finally {
            child.close();
            feeder.interrupt();
        }
        return List.of(listing.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static void feed(InputStream from, OutputStream to, AtomicReference<RuntimeException> sourceFailure) {
        byte[] buf = new byte[64 * 1024];
        try (to) {
            while (true) {
                int n;
                try {
                    n = from.read(buf);
                } catch (IOException e) {
                    sourceFailure.set(new LifeboatException(
                            ErrorCode.STORE_UNAVAILABLE, "reading the archive failed: " + e.getMessage(), null, e));
                    return;
                } catch (RuntimeException e) {
                    sourceFailure.set(e);
                    return;
                }
                if (n < 0) {
                    return;
                }
                to.write(buf, 0, n);
            }
        } catch (IOException e) {
            // pg_restore stopped reading: --list needs only the header and the table of contents
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

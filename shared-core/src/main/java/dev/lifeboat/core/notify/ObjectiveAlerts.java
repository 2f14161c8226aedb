package dev.lifeboat.core.notify;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.PrivateFiles;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.config.NotifyTarget;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.health.CheckHealth;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.health.HealthState;
import dev.lifeboat.core.health.Problem;
import dev.lifeboat.core.health.SourceHealth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Tells the targets that ask for {@code objective_missed} when a source (or set) starts missing its
 * objectives: once per transition, not on every check. Whoever checks health ({@code lifeboat status},
 * {@code backup_status}, {@code /metrics}, a metrics file after a run, a scheduled run) hands the report
 * here; the state last announced per source is kept in {@code state_dir/notify/objectives.json}, so
 * separate processes on one host (a cron job's {@code status}, the MCP server) announce a transition
 * once between them.
 *
 * <p>A transition is a change of state into LATE, FAILING or NEVER (OK to LATE, LATE to FAILING); a
 * return to OK is recorded silently (the backup that fixed it announced its {@code recovery}). A source
 * first seen missing its objectives is announced. The file is changed under a lock on a file beside
 * it and written whole (a temporary file renamed over it); a file that does not parse is treated as
 * empty, which at worst announces a missed objective again.
 */
public final class ObjectiveAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectiveAlerts.class);
    static final String EVENT = "objective_missed";
    private static final int MAX_STATE_BYTES = 1 << 20;
    /**
     * Threads of one process take turns: a file lock is held per process, and a second channel's lock
     * in the same JVM throws instead of waiting (the MCP server answers backup_status and /metrics at once).
     */
    private static final Object IN_PROCESS = new Object();

    private final LifeboatContext ctx;
    private final Notifications notifications;

    public ObjectiveAlerts(LifeboatContext ctx) {
        this.ctx = ctx;
        this.notifications = new Notifications(ctx);
    }

    /** Whether any target asks for {@code objective_missed}: nothing else here does anything without one. */
    public boolean wanted() {
        return ctx.config().notifyTargets().stream()
                .anyMatch(t -> t.kind() != NotifyTarget.Kind.PING && t.events().contains(EVENT));
    }

    /** Checks health (the stores' catalogs and the audit log) and announces, when a target wants it. */
    public void checkAndAnnounce(OperationContext context) {
        if (wanted()) {
            announce(new CheckHealth(ctx).check(), context);
        }
    }

    /** Announces each source and set of {@code report} that newly misses its objectives. */
    public void announce(HealthReport report, OperationContext context) {
        if (!wanted()) {
            return;
        }
        List<SourceHealth> missed;
        try {
            missed = transitions(report);
        } catch (IOException | RuntimeException e) {
            // never the caller's failure: a status that cannot keep its memory still answers
            LOG.warn("objective alerts: cannot read or write {}: {}", file(), e.toString());
            return;
        }
        for (SourceHealth s : missed) {
            notifications.announce(event(report, s), context);
        }
    }

    private Path file() {
        return ctx.config().stateDir().resolve("notify").resolve("objectives.json");
    }

    /** The sources whose state changed into a missed one since the last announcement, with the new states saved. */
    private List<SourceHealth> transitions(HealthReport report) throws IOException {
        Path file = file();
        PrivateDirectories.ensure(file.getParent());
        Path lock = file.resolveSibling("objectives.lock");
        synchronized (IN_PROCESS) {
            return underLock(file, lock, report);
        }
    }

    private static List<SourceHealth> underLock(Path file, Path lock, HealthReport report) throws IOException {
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            Map<String, String> last = read(file);
            Map<String, String> now = new TreeMap<>();
            List<SourceHealth> missed = new ArrayList<>();
            for (SourceHealth s : Stream.concat(report.sources().stream(), report.sets().stream())
                    .toList()) {
                String key = s.kind() + ":" + s.name();
                now.put(key, s.state().name());
                if (s.state() != HealthState.OK && !s.state().name().equals(last.get(key))) {
                    missed.add(s);
                }
            }
            if (!now.equals(last)) {
                write(file, now);
            }
            return missed;
        }
    }

    /** What was last announced, per {@code kind:name}. */
    record Announced(Map<String, String> sources) {}

    private static Map<String, String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            Announced a = Json.mapper().readValue(in.readNBytes(MAX_STATE_BYTES), Announced.class);
            return a == null || a.sources() == null ? Map.of() : a.sources();
        } catch (JacksonException e) {
            LOG.warn("objective alerts: {} does not parse; starting afresh", file);
            return Map.of();
        }
    }

    private static void write(Path file, Map<String, String> states) throws IOException {
        PrivateFiles.write(file, Json.mapper().writeValueAsBytes(new Announced(states)), false);
    }

    private static BackupEvent event(HealthReport report, SourceHealth s) {
        return new BackupEvent(
                EVENT,
                s.name(),
                s.kind(),
                report.checkedAt(),
                s.newest() == null ? null : s.newest().backupId(),
                s.newest() == null ? null : s.newest().store(),
                null,
                null,
                null,
                s.state().name(),
                s.problems().stream().map(Problem::message).toList(),
                Notifications.host(),
                Version.get());
    }
}

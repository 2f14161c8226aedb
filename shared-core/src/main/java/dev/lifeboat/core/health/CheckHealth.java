package dev.lifeboat.core.health;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.config.Objectives;
import dev.lifeboat.core.config.SetConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.health.HealthReport.StoreHealth;
import dev.lifeboat.core.health.NextStep.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges every configured source against its objectives from what the stores and the audit log say
 * (see the package documentation): one pass over each store's manifests (through the listing cache)
 * and drill records, one pass over the audit log.
 */
public final class CheckHealth {
    private final LifeboatContext ctx;

    public CheckHealth(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** What the stores hold of one source, gathered over every store. */
    private static final class Seen {
        final List<Manifest> manifests = new ArrayList<>();
        final Map<String, List<String>> storesById = new HashMap<>();
        DrillRecord newestDrill;
        DrillRecord newestPass;
        AuditLog.Finished lastFailure;
        Instant lastOk;
    }

    public HealthReport check() {
        Instant now = ctx.now();
        Map<String, Seen> seen = new HashMap<>();
        List<StoreHealth> stores = new ArrayList<>();
        for (StoreConfig sc : ctx.config().stores().values()) {
            stores.add(read(sc, seen));
        }
        ctx.audit().finished(line -> {
            if (!"create".equals(line.operation()) || line.database() == null) {
                return;
            }
            Seen s = seen.computeIfAbsent(line.database(), n -> new Seen());
            if ("ok".equals(line.outcome())) {
                s.lastOk = later(s.lastOk, line.time());
            } else if (s.lastFailure == null || !line.time().isBefore(s.lastFailure.time())) {
                s.lastFailure = line;
            }
        });
        List<String> unreadable = stores.stream()
                .filter(h -> h.error() != null)
                .map(StoreHealth::name)
                .toList();
        Map<String, SourceHealth> sources = new LinkedHashMap<>();
        ctx.config().databases().keySet().forEach(n -> sources.put(n, source(n, "database", seen, unreadable, now)));
        ctx.config().directories().keySet().forEach(n -> sources.put(n, source(n, "directory", seen, unreadable, now)));
        List<SourceHealth> sets = new ArrayList<>();
        for (SetConfig set : ctx.config().sets().values()) {
            sets.add(set(set, sources));
        }
        boolean healthy = unreadable.isEmpty()
                && sources.values().stream().allMatch(s -> s.state() == HealthState.OK)
                && sets.stream().allMatch(s -> s.state() == HealthState.OK);
        return new HealthReport(now, healthy, List.copyOf(sources.values()), sets, stores);
    }

    /** Reads one store's manifests and drill records into {@code seen}; a store that fails is reported. */
    private StoreHealth read(StoreConfig sc, Map<String, Seen> seen) {
        int count = 0;
        try {
            for (Manifest m : ctx.listing(sc).listing(null).manifests()) {
                Seen s = seen.computeIfAbsent(m.database(), n -> new Seen());
                s.manifests.add(m);
                s.storesById.computeIfAbsent(m.id(), id -> new ArrayList<>()).add(sc.name());
                count++;
            }
            for (Map.Entry<String, Catalog.DrillSummary> e :
                    new Catalog(ctx.store(sc)).drillSummaries().entrySet()) {
                Seen s = seen.computeIfAbsent(e.getKey(), n -> new Seen());
                DrillRecord d = e.getValue().newest();
                if (s.newestDrill == null || d.startedAt().isAfter(s.newestDrill.startedAt())) {
                    s.newestDrill = d;
                }
                DrillRecord p = e.getValue().newestPass();
                if (p != null && (s.newestPass == null || p.startedAt().isAfter(s.newestPass.startedAt()))) {
                    s.newestPass = p;
                }
            }
            return new StoreHealth(sc.name(), count, null, null);
        } catch (LifeboatException e) {
            return new StoreHealth(
                    sc.name(),
                    count,
                    e.code() + ": " + e.getMessage(),
                    new NextStep(
                            Action.FIX_STORE,
                            null,
                            null,
                            null,
                            sc.name(),
                            "make store '" + sc.name() + "' readable again (its credentials, network or path)"
                                    + (e.hint() == null ? "" : ": " + Remedy.render(e.hint(), Remedy::neutral))));
        }
    }

    private SourceHealth source(
            String name, String kind, Map<String, Seen> seen, List<String> unreadable, Instant now) {
        Seen s = seen.getOrDefault(name, new Seen());
        Objectives o = ctx.config().objectives(name);
        Manifest newest = null;
        for (Manifest m : s.manifests) {
            if (newest == null || m.createdAt().isAfter(newest.createdAt())) {
                newest = m;
            }
        }
        List<String> copies = newest == null ? List.of() : s.storesById.get(newest.id());
        Instant lastGood = later(s.lastOk, newest == null ? null : newest.createdAt());
        // a failure counts until a backup that started after it succeeded, here or on any host
        boolean failing = s.lastFailure != null
                && (lastGood == null || s.lastFailure.time().isAfter(lastGood));
        List<Problem> problems = new ArrayList<>();
        if (failing) {
            AuditLog.Finished f = s.lastFailure;
            problems.add(new Problem(
                    "failure",
                    "the last backup of '" + name + "', started " + seconds(f.time()) + ", failed: " + code(f) + ": "
                            + f.detail(),
                    new NextStep(Action.FIX_AND_CREATE_BACKUP, name, kind, null, null, fix(name, kind, code(f)))));
        } else if (newest == null) {
            problems.add(new Problem(
                    "never",
                    "no store holds a backup of '" + name + "'"
                            + (unreadable.isEmpty() ? "" : " (unreadable: " + String.join(", ", unreadable) + ")"),
                    new NextStep(Action.CREATE_BACKUP, name, kind, null, null, "take its first backup")));
        }
        if (newest != null && o.rpo() != null) {
            Duration age = Duration.between(newest.createdAt(), now);
            if (age.compareTo(o.rpo()) > 0) {
                problems.add(new Problem(
                        "rpo",
                        "the newest backup of '" + name + "' (" + newest.id() + ") is " + human(age) + " old; rpo is "
                                + Durations.text(o.rpo()),
                        failing
                                ? problems.get(0).next()
                                : new NextStep(
                                        Action.CREATE_BACKUP,
                                        name,
                                        kind,
                                        null,
                                        null,
                                        "take a backup now, and check that whatever should run it (cron, a systemd"
                                                + " timer, a CronJob) still does")));
            }
        }
        if (newest != null && o.drillEvery() != null) {
            Instant pass = s.newestPass == null ? null : s.newestPass.startedAt();
            if (pass == null || Duration.between(pass, now).compareTo(o.drillEvery()) > 0) {
                String last = s.newestDrill == null
                        ? "none was ever run"
                        : pass == null
                                ? "none passed; the newest, " + seconds(s.newestDrill.startedAt()) + ", ended "
                                        + s.newestDrill.result()
                                : "the newest pass was " + human(Duration.between(pass, now)) + " ago";
                problems.add(new Problem(
                        "drill_every",
                        "no restore drill of '" + name + "' passed in the last " + Durations.text(o.drillEvery()) + ": "
                                + last,
                        new NextStep(
                                Action.VERIFY_RESTORE,
                                name,
                                kind,
                                newest.id(),
                                copies.get(0),
                                "drill the newest backup: restore it into a scratch "
                                        + ("directory".equals(kind) ? "directory" : "database")
                                        + " and compare it with the manifest")));
            }
        }
        if (newest != null && o.copies() > copies.size()) {
            String missing = ctx.config().stores().keySet().stream()
                    .filter(st -> !copies.contains(st) && !unreadable.contains(st))
                    .findFirst()
                    .orElse(null);
            problems.add(new Problem(
                    "copies",
                    "the newest backup of '" + name + "' (" + newest.id() + ") is in " + copies.size() + " store"
                            + (copies.size() == 1 ? "" : "s") + " (" + String.join(", ", copies) + "); copies is "
                            + o.copies(),
                    missing != null
                            ? new NextStep(
                                    Action.COPY_BACKUP,
                                    name,
                                    kind,
                                    newest.id(),
                                    missing,
                                    "copy it to store '" + missing + "'")
                            : new NextStep(
                                    Action.ADD_STORE,
                                    name,
                                    kind,
                                    newest.id(),
                                    null,
                                    "configure another store (off this host) under 'stores:', then copy the backup"
                                            + " there")));
        }
        HealthState state = failing
                ? HealthState.FAILING
                : newest == null ? HealthState.NEVER : problems.isEmpty() ? HealthState.OK : HealthState.LATE;
        Instant lastAttempt = later(lastGood, s.lastFailure == null ? null : s.lastFailure.time());
        return new SourceHealth(
                name,
                kind,
                state,
                promised(o),
                s.manifests.size(),
                newest == null
                        ? null
                        : new SourceHealth.Backup(
                                newest.id(),
                                copies.get(0),
                                newest.createdAt(),
                                Math.max(
                                        0,
                                        Duration.between(newest.createdAt(), now)
                                                .getSeconds()),
                                newest.sizeBytes(),
                                newest.durationMillis()),
                copies,
                lastAttempt,
                s.lastFailure == null
                        ? null
                        : new SourceHealth.Failure(
                                s.lastFailure.time(),
                                s.lastFailure.backupId(),
                                s.lastFailure.store(),
                                code(s.lastFailure),
                                s.lastFailure.detail()),
                drill(s.newestDrill),
                s.newestPass == null ? null : s.newestPass.startedAt(),
                List.of(),
                problems);
    }

    /** A set is as healthy as its worst member; each member carries the set's objectives already. */
    private SourceHealth set(SetConfig set, Map<String, SourceHealth> sources) {
        HealthState state = HealthState.OK;
        List<SourceHealth.Member> members = new ArrayList<>();
        int backups = 0;
        for (String m : set.members()) {
            SourceHealth h = sources.get(m);
            state = state.worst(h.state());
            members.add(new SourceHealth.Member(m, h.state()));
            backups += h.backups();
        }
        return new SourceHealth(
                set.name(),
                "set",
                state,
                promised(ctx.config().objectiveSettings().ofSet(set.name())),
                backups,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                members,
                List.of());
    }

    private static SourceHealth.Drill drill(DrillRecord d) {
        return d == null ? null : new SourceHealth.Drill(d.backupId(), d.store(), d.startedAt(), d.result(), d.error());
    }

    private static SourceHealth.Promised promised(Objectives o) {
        return new SourceHealth.Promised(
                o.rpo() == null ? null : Durations.text(o.rpo()),
                o.drillEvery() == null ? null : Durations.text(o.drillEvery()),
                o.copies() == 0 ? null : o.copies());
    }

    private static String code(AuditLog.Finished f) {
        return f.errorCode() != null ? f.errorCode() : f.outcome().toUpperCase(java.util.Locale.ROOT);
    }

    /** What to check before the next backup, by the failure's code; in neutral words. */
    private static String fix(String name, String kind, String code) {
        String entry = ("directory".equals(kind) ? "directories." : "databases.") + name;
        return switch (code) {
            case "DATABASE_UNREACHABLE" ->
                "check that the server is running and reachable (host, port), and that the"
                        + " password source of " + entry
                        + " (password_env, password_file or passfile) holds the current"
                        + " password, then back it up again";
            case "PERMISSION_DENIED" ->
                "grant the login of " + entry + " the right the message names, then back it up" + " again";
            case "TOOL_VERSION" ->
                "install PostgreSQL client tools at least as new as the server (or set pg_bin_dir" + " in " + entry
                        + "), then back it up again";
            case "NOT_FOUND" ->
                "check " + entry + " (the database or directory it names is gone or renamed), then"
                        + " back it up again";
            case "STORE_UNAVAILABLE" ->
                "make its store writable again (credentials, network, free space), then back" + " it up again";
            case "STATE_UNAVAILABLE" ->
                "free space in Lifeboat's state directory (or make it writable), then back it" + " up again";
            case "CANCELLED", "ABANDONED" ->
                "it was stopped before it finished: back it up again, and check what"
                        + " stopped it if it happens again";
            default -> "fix the cause the failure's message names, then back it up again";
        };
    }

    /** A duration for people: the two largest units, e.g. "1d 6h", "5h 3m", "42s". */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
        }
        return minutes > 0 ? minutes + "m" : s + "s";
    }

    /** A time for a message: to the second, as people read it. */
    private static Instant seconds(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}

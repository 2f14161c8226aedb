package dev.lifeboat.core.schedule;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;

/**
 * Run markers: which slot of a schedule has been taken, by whom, and how it ended, kept in a store so
 * that every worker pointed at it (hosts, pods, a restarted process) sees the same answer.
 *
 * <pre>
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot, e.g. 20261206T0215Z&gt;/claim.json   create-only: the slot is taken (generation 0)
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot&gt;/heartbeat-&lt;g&gt;.json                 the holder of generation g is alive at
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot&gt;/takeover-&lt;g&gt;.json                  create-only: generation g took over a lapsed lease
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot&gt;/done.json                        how the run ended
 * </pre>
 *
 * <p><b>Leases.</b> A claim carries a lease ({@code lease_seconds}); its holder writes its heartbeat
 * file every {@link SlotClaim.Timing#beat} while it runs. A slot without {@code done.json} whose newest
 * generation has neither been claimed nor beaten within its lease was left by a worker that died
 * ({@code kill -9}, a lost node): the next worker takes it over by writing {@code takeover-<g+1>.json}
 * create-only, so of any number of workers finding it lapsed exactly one wins, and the holder that lost
 * it (alive after all, but silent longer than its lease) finds the newer generation at its next beat
 * and cancels its own run. A claim written without a lease (before leases) never lapses.
 *
 * <p>The claim is written with the store's create-only put, the same conditional write that commits
 * a manifest: of any number of workers racing for one slot, exactly one succeeds and runs it, the
 * others find {@code ALREADY_EXISTS}. A store that cannot enforce it ({@code conditionalCreate} false)
 * is said so in every claim's answer. The keys start with {@code _lifeboat}, which no configured name
 * can be (names start with a letter or digit), and have five segments, which the catalog never takes for
 * a backup, a manifest or a drill record; so listings, {@code gc} and {@code status} leave them alone.
 *
 * <p>The newest slot's markers say when the schedule last ran: that is how a scheduler started after
 * being down knows it missed a slot. Older markers are removed once there are more than {@link #KEEP}
 * slots, so listing them stays one short listing.
 */
public final class RunMarkers {
    static final String ROOT = "_lifeboat/schedules/";
    /** Slots kept per schedule; older ones are only history, never claimed again. */
    static final int KEEP = 20;

    private static final int MAX_MARKER_BYTES = 64 * 1024;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private final BackupStore store;

    RunMarkers(BackupStore store) {
        this.store = store;
    }

    /**
     * What a claim says: the slot, who took it and when.
     *
     * @param schedule the schedule's name
     * @param slot the fire time the run belongs to
     * @param worker {@code host:pid} of the process that took it
     * @param claimedAt when it was taken
     */
    public record Claim(
            String schedule, Instant slot, String worker, Instant claimedAt, Integer generation, Long leaseSeconds) {
        public Claim(String schedule, Instant slot, String worker, Instant claimedAt) {
            this(schedule, slot, worker, claimedAt, null, null);
        }

        /** Its generation: 0 for the first claim, g for the g-th takeover. */
        int gen() {
            return generation == null ? 0 : generation;
        }

        Claim as(int generation, java.time.Duration lease) {
            return new Claim(schedule, slot, worker, claimedAt, generation, lease.toSeconds());
        }
    }

    /** A holder's sign of life. */
    record Heartbeat(String worker, Integer generation, Instant at) {}

    /**
     * How a claim ended.
     *
     * @param won whether the caller holds the slot now
     * @param holder who holds it: the caller's claim when won, else the other holder's
     * @param lapsed when the caller won by taking over, the claim whose lease had lapsed; else null
     */
    record Taken(boolean won, Claim holder, Claim lapsed) {}

    /** The slot's stamp in keys: UTC, minutes. */
    static String stamp(Instant slot) {
        return STAMP.format(slot);
    }

    /**
     * Takes {@code claim.slot()} for this worker with a lease of {@code lease}: by creating its claim,
     * or, when the slot's holder has let its lease lapse without an outcome, by taking it over.
     */
    Taken claim(Claim claim, java.time.Duration lease, Instant now) {
        Claim first = claim.as(0, lease);
        if (create(key(claim.schedule(), claim.slot(), "claim.json"), first)) {
            return new Taken(true, first, null);
        }
        Claim holder = holder(claim.schedule(), claim.slot());
        if (holder == null) {
            // unreadable, or given back between our write and read: still taken, by someone unknown
            return new Taken(false, new Claim(claim.schedule(), claim.slot(), "unknown", null), null);
        }
        if (store.stat(key(claim.schedule(), claim.slot(), "done.json")).isPresent() || !lapsed(holder, now)) {
            return new Taken(false, holder, null);
        }
        Claim next = claim.as(holder.gen() + 1, lease);
        if (create(key(claim.schedule(), claim.slot(), "takeover-" + next.gen() + ".json"), next)) {
            return new Taken(true, next, holder);
        }
        Claim winner = read(key(claim.schedule(), claim.slot(), "takeover-" + next.gen() + ".json"), Claim.class);
        return new Taken(false, winner != null ? winner : holder, null);
    }

    /** Whether {@code holder}'s lease has run out: neither claimed nor beaten within it. */
    private boolean lapsed(Claim holder, Instant now) {
        if (holder.leaseSeconds() == null || holder.claimedAt() == null) {
            return false;
        }
        Instant last = holder.claimedAt();
        Heartbeat beat =
                read(key(holder.schedule(), holder.slot(), "heartbeat-" + holder.gen() + ".json"), Heartbeat.class);
        if (beat != null && beat.at() != null && beat.at().isAfter(last)) {
            last = beat.at();
        }
        return last.plusSeconds(holder.leaseSeconds()).isBefore(now);
    }

    /** The newest generation's claim of a slot; null when none can be read. */
    Claim holder(String schedule, Instant slot) {
        int newest = -1;
        String prefix = key(schedule, slot, "");
        for (ObjectInfo o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.startsWith("takeover-") && name.endsWith(".json")) {
                try {
                    newest = Math.max(newest, Integer.parseInt(name.substring(9, name.length() - 5)));
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        return read(prefix + (newest < 0 ? "claim.json" : "takeover-" + newest + ".json"), Claim.class);
    }

    /** Says that the holder of {@code mine} is alive at {@code now}. */
    void beat(Claim mine, Instant now) {
        byte[] b = Json.mapper().writeValueAsBytes(new Heartbeat(mine.worker(), mine.gen(), now));
        store.put(
                key(mine.schedule(), mine.slot(), "heartbeat-" + mine.gen() + ".json"),
                new ByteArrayInputStream(b),
                false);
    }

    /** Whether another worker has taken the slot over from {@code mine}. */
    boolean supersededAt(Claim mine) {
        return store.stat(key(mine.schedule(), mine.slot(), "takeover-" + (mine.gen() + 1) + ".json"))
                .isPresent();
    }

    private boolean create(String key, Claim claim) {
        try {
            store.put(key, new ByteArrayInputStream(Json.mapper().writeValueAsBytes(claim)), true);
            return true;
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Gives a slot back (its run was cancelled before it ended), so the next start or another worker
     * runs it: every marker of the slot, the first claim last, so that until then it still reads as taken.
     */
    void release(String schedule, Instant slot) {
        deleteSlot(key(schedule, slot, ""));
    }

    /** Records how the slot's run ended, then trims the oldest slots. */
    void finish(SlotResult result) {
        store.put(
                key(result.schedule(), result.slot(), "done.json"),
                new ByteArrayInputStream(Json.mapper().writeValueAsBytes(result)),
                false);
        trim(result.schedule());
    }

    /** Whether this store enforces create-only writes itself (so racing workers cannot both win). */
    boolean exclusive() {
        return store.capabilities().conditionalCreate();
    }

    /**
     * The schedule's newest slot that was taken, with its outcome when it has ended; empty when it
     * never ran against this store.
     */
    Optional<LastRun> last(String schedule) {
        TreeSet<String> stamps = stamps(schedule);
        if (stamps.isEmpty()) {
            return Optional.empty();
        }
        String newest = stamps.last();
        String prefix = ROOT + schedule + "/" + newest + "/";
        Instant at = parse(newest);
        Claim claim = at == null ? read(prefix + "claim.json", Claim.class) : holder(schedule, at);
        SlotResult done = read(prefix + "done.json", SlotResult.class);
        Instant slot = done != null ? done.slot() : claim != null ? claim.slot() : parse(newest);
        return Optional.of(new LastRun(slot, claim, done));
    }

    /**
     * The newest run of a schedule found in its marker store.
     *
     * @param slot the slot it belongs to
     * @param claim who took it, or null when that marker was unreadable
     * @param result how it ended, or null while it runs (or when its worker died before it ended)
     */
    public record LastRun(Instant slot, Claim claim, SlotResult result) {}

    private TreeSet<String> stamps(String schedule) {
        String prefix = ROOT + schedule + "/";
        TreeSet<String> stamps = new TreeSet<>();
        for (ObjectInfo o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && parse(rest.substring(0, slash)) != null) {
                stamps.add(rest.substring(0, slash));
            }
        }
        return stamps;
    }

    private void trim(String schedule) {
        TreeSet<String> stamps = stamps(schedule);
        while (stamps.size() > KEEP) {
            String oldest = stamps.pollFirst();
            store.delete(ROOT + schedule + "/" + oldest + "/done.json");
            deleteSlot(ROOT + schedule + "/" + oldest + "/");
        }
    }

    /** Deletes a slot's markers, the outcome first and the first claim last: a half-deleted slot still reads as taken. */
    private void deleteSlot(String prefix) {
        store.delete(prefix + "done.json");
        for (ObjectInfo o : store.list(prefix)) {
            if (!o.key().endsWith("/claim.json")) {
                store.delete(o.key());
            }
        }
        store.delete(prefix + "claim.json");
    }

    private static Instant parse(String stamp) {
        try {
            return STAMP.parse(stamp, Instant::from);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private <T> T read(String key, Class<T> type) {
        if (store.stat(key).isEmpty()) {
            return null;
        }
        try (InputStream in = store.get(key)) {
            return Json.mapper().readValue(in.readNBytes(MAX_MARKER_BYTES), type);
        } catch (LifeboatException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return null;
            }
            throw e;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    private static String key(String schedule, Instant slot, String file) {
        return ROOT + schedule + "/" + stamp(slot) + "/" + file;
    }
}

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
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot, e.g. 20261206T0215Z&gt;/claim.json   create-only: the slot is taken
 * _lifeboat/schedules/&lt;schedule&gt;/&lt;slot&gt;/done.json                        how the run ended
 * </pre>
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
    public record Claim(String schedule, Instant slot, String worker, Instant claimedAt) {}

    /** The slot's stamp in keys: UTC, minutes. */
    static String stamp(Instant slot) {
        return STAMP.format(slot);
    }

    /**
     * Takes {@code claim.slot()} for this worker. Empty when taken; otherwise the claim that holds it
     * (another worker's, or an earlier one of this worker's for the same slot).
     */
    Optional<Claim> claim(Claim claim) {
        String key = key(claim.schedule(), claim.slot(), "claim.json");
        try {
            store.put(key, new ByteArrayInputStream(Json.mapper().writeValueAsBytes(claim)), true);
            return Optional.empty();
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
        }
        Claim holder = read(key, Claim.class);
        // unreadable, or deleted between our write and read: still taken, by someone unknown
        return Optional.of(holder != null ? holder : new Claim(claim.schedule(), claim.slot(), "unknown", null));
    }

    /** Gives a slot back (its run was cancelled before it ended), so the next start or another worker runs it. */
    void release(String schedule, Instant slot) {
        store.delete(key(schedule, slot, "claim.json"));
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
        Claim claim = read(prefix + "claim.json", Claim.class);
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
            // the outcome goes before the claim: a half-trimmed slot still reads as taken
            store.delete(ROOT + schedule + "/" + oldest + "/done.json");
            store.delete(ROOT + schedule + "/" + oldest + "/claim.json");
        }
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

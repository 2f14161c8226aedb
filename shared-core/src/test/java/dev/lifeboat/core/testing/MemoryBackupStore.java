package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.pipe.Streams;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreErrors;
import dev.lifeboat.core.store.StoreKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * A {@link BackupStore} in memory, for fast tests of what sits above the store (restic's {@code mem}
 * backend is the model). It keeps the whole contract ({@code MemoryBackupStoreTest} runs {@code
 * BackupStoreContract} against it): keys are checked first, an object appears whole at the end of
 * its put or not at all, create-only puts are enforced by the store itself (so it declares {@code
 * conditionalCreate}), listings are sorted and never show a write in progress, and a stream from
 * {@link #get} keeps the version it opened when the object is replaced. It is safe for concurrent use.
 *
 * <p>Unlike a real store it holds each object whole in memory while it is written; keep test
 * objects small (tens of MiB at most).
 *
 * <p><b>Faults</b> for tests of the core's failure paths, armed by the methods below and cleared by
 * {@link #heal()}: a put that fails (the Nth from now, or every put of matching keys, before or
 * after reading its stream), a put that silently keeps fewer bytes than it was sent, a get that
 * fails, a stream that fails part way, a listing that fails; and damage done to a stored object
 * behind the store's back ({@link #truncate}, {@link #corrupt}, {@link #plant}). Injected failures are
 * STORE_UNAVAILABLE (or an {@link IOException} from a stream) and say "injected" in their message.
 *
 * <p>What the store was asked is kept in {@link #calls()} ("put app/x/dump", "get ...", "stat ...",
 * "list app/", "delete ...", "close"), so a test can say what an operation touched. Calls refused
 * for an invalid key never reach the "backend" and are not recorded.
 */
public final class MemoryBackupStore implements BackupStore {
    private static final int CHUNK = 1 << 16;

    private final String name;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final List<String> calls = new ArrayList<>();

    // faults, guarded by this
    private long puts;
    private final Map<Long, Long> failingPutNumbers = new HashMap<>();
    private final List<KeyFault> failingPutKeys = new ArrayList<>();
    private final List<KeyFault> shortPutKeys = new ArrayList<>();
    private final Set<String> failingGets = new HashSet<>();
    private final Map<String, Long> failingReads = new HashMap<>();
    private final Map<String, Runnable> beforeGets = new HashMap<>();
    private boolean failingLists;
    private boolean closed;

    private record Stored(byte[] data, Instant lastModified) {}

    private record KeyFault(Predicate<String> keys, long bytes) {}

    /** A store described as {@code memory://test}, its objects stamped with the system clock. */
    public MemoryBackupStore() {
        this("test");
    }

    /** A store described as {@code memory://<name>}, its objects stamped with the system clock. */
    public MemoryBackupStore(String name) {
        this(name, Clock.systemUTC());
    }

    /** A store described as {@code memory://<name>}, its objects stamped with {@code clock}. */
    public MemoryBackupStore(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    /** Enforced create-only writes; no local files; any byte range could be served. */
    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(true, false, true);
    }

    @Override
    public String describe() {
        return "memory://" + name;
    }

    @Override
    public ObjectInfo put(String key, InputStream data, boolean createOnly) {
        StoreKeys.requireValid(key);
        Long failAfter;
        Long keepOnly;
        synchronized (this) {
            calls.add("put " + key);
            long n = ++puts;
            failAfter = failingPutNumbers.remove(n);
            if (failAfter == null) {
                failAfter = matching(failingPutKeys, key);
            }
            keepOnly = matching(shortPutKeys, key);
        }
        if (createOnly && objects.containsKey(key)) {
            throw StoreErrors.alreadyExists(key, describe());
        }
        byte[] bytes = read(data, key, failAfter == null ? Long.MAX_VALUE : failAfter);
        if (failAfter != null) {
            throw injected("put", key, "after reading " + bytes.length + " bytes");
        }
        if (keepOnly != null && bytes.length > keepOnly) {
            bytes = Arrays.copyOf(bytes, (int) (long) keepOnly);
        }
        Stored s = new Stored(bytes, clock.instant());
        if (createOnly) {
            // the store's own check: two writers racing for one key cannot both win
            if (objects.putIfAbsent(key, s) != null) {
                throw StoreErrors.alreadyExists(key, describe());
            }
        } else {
            objects.put(key, s);
        }
        return new ObjectInfo(key, bytes.length, s.lastModified());
    }

    @Override
    public InputStream get(String key) {
        StoreKeys.requireValid(key);
        Long failAfter;
        Runnable hook;
        synchronized (this) {
            calls.add("get " + key);
            if (failingGets.contains(key)) {
                throw injected("get", key, "reads of this key fail");
            }
            failAfter = failingReads.get(key);
            hook = beforeGets.get(key);
        }
        if (hook != null) {
            hook.run();
        }
        Stored s = objects.get(key);
        if (s == null) {
            throw StoreErrors.notFound(key, describe());
        }
        InputStream in = new ByteArrayInputStream(s.data());
        return failAfter == null ? in : new FailingStream(in, failAfter, key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        StoreKeys.requireValid(key);
        synchronized (this) {
            calls.add("stat " + key);
        }
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(new ObjectInfo(key, s.data().length, s.lastModified()));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        String p = StoreKeys.requireValidPrefix(prefix);
        synchronized (this) {
            calls.add("list " + p);
            if (failingLists) {
                throw injected("list", p.isEmpty() ? "(all)" : p, "listings fail");
            }
        }
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : objects.tailMap(p).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            out.add(new ObjectInfo(
                    e.getKey(), e.getValue().data().length, e.getValue().lastModified()));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        StoreKeys.requireValid(key);
        synchronized (this) {
            calls.add("delete " + key);
        }
        objects.remove(key);
    }

    /** Marks the store closed (see {@link #closed()}); it stays usable, so a test can look inside. */
    @Override
    public synchronized void close() {
        calls.add("close");
        closed = true;
    }

    // ---- faults ----

    /**
     * The {@code nth} put from now (1 = the next) fails with STORE_UNAVAILABLE after reading its
     * whole stream, as if the backend failed to commit it; nothing is stored.
     */
    /** Every read of {@code key} from now runs {@code hook} first, outside the store's lock (it may wait). */
    public synchronized MemoryBackupStore beforeGet(String key, Runnable hook) {
        beforeGets.put(key, hook);
        return this;
    }

    public MemoryBackupStore failPut(int nth) {
        return failPut(nth, Long.MAX_VALUE);
    }

    /**
     * The {@code nth} put from now (1 = the next) reads at most {@code afterBytes} bytes of its
     * stream, then fails with STORE_UNAVAILABLE (0: before reading anything); nothing is stored.
     */
    public synchronized MemoryBackupStore failPut(int nth, long afterBytes) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1");
        }
        failingPutNumbers.put(puts + nth, afterBytes);
        return this;
    }

    /** Every put of a key that {@code keys} accepts fails after reading its whole stream. */
    public synchronized MemoryBackupStore failPuts(Predicate<String> keys) {
        failingPutKeys.add(new KeyFault(keys, Long.MAX_VALUE));
        return this;
    }

    /**
     * Every put of a key that {@code keys} accepts reads its whole stream but keeps only its first
     * {@code keep} bytes, and reports the size it kept: a backend that silently loses a tail.
     */
    public synchronized MemoryBackupStore shortWrites(Predicate<String> keys, long keep) {
        shortPutKeys.add(new KeyFault(keys, keep));
        return this;
    }

    /** Every get of {@code key} fails with STORE_UNAVAILABLE; stat and list still show the object. */
    public synchronized MemoryBackupStore failGets(String key) {
        failingGets.add(StoreKeys.requireValid(key));
        return this;
    }

    /** Streams opened on {@code key} yield {@code afterBytes} bytes, then throw an IOException. */
    public synchronized MemoryBackupStore failReads(String key, long afterBytes) {
        failingReads.put(StoreKeys.requireValid(key), afterBytes);
        return this;
    }

    /** Every listing fails with STORE_UNAVAILABLE. */
    public synchronized MemoryBackupStore failLists() {
        failingLists = true;
        return this;
    }

    /** Disarms every fault armed above (damage already done to objects stays). */
    public synchronized MemoryBackupStore heal() {
        failingPutNumbers.clear();
        failingPutKeys.clear();
        shortPutKeys.clear();
        failingGets.clear();
        failingReads.clear();
        failingLists = false;
        return this;
    }

    // ---- behind the store's back ----

    /**
     * Cuts the stored object to its first {@code length} bytes, as a truncated file would be: its
     * size changes and its time is the clock's now. IllegalArgumentException when there is no such
     * object.
     */
    public void truncate(String key, long length) {
        Stored s = existing(key);
        objects.put(key, new Stored(Arrays.copyOf(s.data(), (int) Math.min(length, s.data().length)), clock.instant()));
    }

    /**
     * Flips every bit of the byte at {@code offset}, keeping the object's size and time: silent bit
     * rot. IllegalArgumentException when there is no such object.
     */
    public void corrupt(String key, long offset) {
        Stored s = existing(key);
        byte[] data = s.data().clone();
        data[(int) offset] ^= (byte) 0xff;
        objects.put(key, new Stored(data, s.lastModified()));
    }

    /** Stores {@code data} under {@code key} without a put: no fault, no check, no call recorded. */
    public void plant(String key, byte[] data) {
        objects.put(StoreKeys.requireValid(key), new Stored(data.clone(), clock.instant()));
    }

    // ---- looking inside ----

    /** The stored bytes of {@code key} (a copy), or empty. */
    public Optional<byte[]> bytes(String key) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(s.data().clone());
    }

    /** Every key held, sorted. */
    public List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    /** What the store was asked, in order (see the class comment). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean closed() {
        return closed;
    }

    private Stored existing(String key) {
        Stored s = objects.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no object '" + key + "' in " + describe());
        }
        return s;
    }

    private static Long matching(List<KeyFault> faults, String key) {
        for (KeyFault f : faults) {
            if (f.keys().test(key)) {
                return f.bytes();
            }
        }
        return null;
    }

    /**
     * Reads up to {@code limit} bytes of {@code in}. The stream's unchecked exceptions pass through
     * unchanged, its IOExceptions become STORE_UNAVAILABLE, as the contract says.
     */
    private byte[] read(InputStream in, String key, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[CHUNK];
        long left = limit;
        try {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw StoreErrors.sourceUnreadable(key, describe(), e);
        }
        return out.toByteArray();
    }

    private LifeboatException injected(String op, String key, String what) {
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot " + op + " '" + key + "' in " + describe() + ": injected fault (" + what + ")",
                "a fault armed by the test; heal() disarms it");
    }

    /** A stream that yields {@code limit} bytes, then throws. */
    private static final class FailingStream extends FilterInputStream {
        private final String key;
        private long left;

        FailingStream(InputStream in, long limit, String key) {
            super(in);
            this.left = limit;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            return Streams.readOne(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                throw new IOException("injected read failure of '" + key + "'");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // through read, so a skip cannot step over the failure
            long skipped = 0;
            byte[] buf = new byte[CHUNK];
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }
    }
}

package dev.lifeboat.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One {@link BackupStore#list} of an object store that keeps the store under a name prefix in a
 * bucket: what to ask the backend for, and the backend's objects turned into the store's keys (folder
 * markers left out), sorted.
 */
public final class ObjectListing {
    private final String root;
    private final String prefix;
    private final List<ObjectInfo> found = new ArrayList<>();

    /**
     * @param storePrefix the prefix the store lives under in its bucket ("" for the bucket's root)
     * @param prefix the caller's key prefix, checked as {@link StoreKeys#requireValidPrefix} does
     */
    public ObjectListing(String storePrefix, String prefix) {
        this.prefix = StoreKeys.requireValidPrefix(prefix);
        this.root = StoreKeys.inBucket(storePrefix, "");
    }

    /** The name prefix to list in the bucket. */
    public String backendPrefix() {
        return root + prefix;
    }

    /** The listed prefix as messages name it. */
    public String describe() {
        return prefix.isEmpty() ? "(all)" : prefix;
    }

    /**
     * The store key of the bucket's object {@code name} (one the backend listed under {@link
     * #backendPrefix}), or null for a folder marker: a name ending in '/', or the store's root itself.
     */
    public String key(String name) {
        String rel = name.substring(root.length());
        return rel.isEmpty() || rel.endsWith("/") ? null : rel;
    }

    public void add(String key, long size, Instant modified) {
        found.add(new ObjectInfo(key, size, modified));
    }

    /** What was added, by key. */
    public List<ObjectInfo> sorted() {
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }
}

package dev.lifeboat.core.store;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;

/** The key rules every {@link BackupStore} enforces before it touches its backend. */
public final class StoreKeys {
    private StoreKeys() {}

    /** Returns {@code key} if it is a valid object key, else throws INVALID_ARGUMENT. */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty() || key.length() > 512) {
            throw invalid(key, "it is empty or longer than 512 characters");
        }
        if (key.startsWith("/") || key.endsWith("/")) {
            throw invalid(key, "it starts or ends with '/'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid(key, "it has an empty, '.' or '..' segment");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                throw invalid(key, "it holds a control character or a backslash");
            }
        }
        return key;
    }

    /** Returns {@code prefix} if it is "" or a valid key (optionally ending in '/'). */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        requireValid(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /**
     * The bucket's name for the store's {@code key} when an object store lives under {@code storePrefix}
     * in its bucket ("" for the bucket's root); for {@code key} "", the store's root as a listing
     * prefix ("" or {@code storePrefix/}).
     */
    public static String inBucket(String storePrefix, String key) {
        return storePrefix.isEmpty() ? key : storePrefix + "/" + key;
    }

    private static LifeboatException invalid(String key, String why) {
        String shown = key == null ? "null" : key.replaceAll("\\p{Cntrl}", "?");
        return new LifeboatException(ErrorCode.INVALID_ARGUMENT, "invalid object key '" + shown + "': " + why, null);
    }
}

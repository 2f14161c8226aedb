package dev.lifeboat.core.base;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest}: the audit chain, confirmation
 * tokens and webhook signatures.
 *
 * <p>Why not {@code javax.crypto.Mac}: its first use in a process loads the JCA provider list up to
 * SunJCE and JCE's policy, 90-140 ms on this project's machines (measured with the start-up archive),
 * on the path of every command that writes an audit line: a checksum verify's first audit line took
 * 80 ms with it and 15 ms without.
 * SHA-256 comes from the SUN provider that the archive hash has loaded already. The construction is
 * the standard one, and {@code HmacSha256Test} holds it to RFC 4231's vectors and to
 * {@code javax.crypto.Mac} for keys and messages of every length around the block size.
 *
 * <p>Not thread-safe: one instance per computation.
 */
public final class HmacSha256 {
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final byte[] outerPad;

    private HmacSha256(byte[] key) {
        byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
        byte[] innerPad = new byte[BLOCK];
        outerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        inner = sha256();
        inner.update(innerPad);
        Arrays.fill(innerPad, (byte) 0);
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A computation under {@code key} (any length; a key longer than the block is hashed first). */
    public static HmacSha256 keyed(byte[] key) {
        return new HmacSha256(key);
    }

    /** The HMAC of {@code message} under {@code key}. */
    public static byte[] of(byte[] key, byte[] message) {
        return keyed(key).update(message).done();
    }

    public HmacSha256 update(byte[] bytes) {
        inner.update(bytes);
        return this;
    }

    public HmacSha256 update(byte b) {
        inner.update(b);
        return this;
    }

    /** The 32-byte HMAC of everything given; the instance is spent. */
    public byte[] done() {
        byte[] innerHash = inner.digest();
        MessageDigest outer = sha256();
        outer.update(outerPad);
        outer.update(innerHash);
        Arrays.fill(outerPad, (byte) 0);
        return outer.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

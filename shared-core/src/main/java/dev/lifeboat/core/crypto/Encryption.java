package dev.lifeboat.core.crypto;

import com.exceptionfactory.jagged.PayloadException;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import dev.lifeboat.core.pipe.EncodingStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Streams in the age v1 format (X25519 recipients, ChaCha20-Poly1305 in 64 KiB chunks), so a backup
 * can be decrypted without Lifeboat by {@code age -d -i key.txt}. Both directions are pull-style
 * {@link InputStream}s with no extra thread and about two chunks of memory, so they sit in the same pipe
 * as hashing and upload.
 *
 * <p>Errors: a key that does not fit is CONFIG_INVALID naming the expected recipients and the
 * identity's own public keys; bytes that are not age, or a damaged or truncated payload, are
 * INTEGRITY_FAILED. Decrypting streams throw these {@link LifeboatException}s from {@code read}; an
 * {@code IOException} always comes from the underlying stream.
 */
public final class Encryption {
    /** The first bytes of every age v1 file. */
    public static final String MAGIC = "age-encryption.org/v1\n";

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    /** The plaintext handed to the encryptor at a time: one age chunk, so the ciphertext buffered stays near that. */
    private static final int CHUNK = 64 * 1024;

    private final AgeRecipients recipients;

    private Encryption(AgeRecipients recipients) {
        this.recipients = recipients;
    }

    /** Encryption to these recipients: any one of their identities decrypts. */
    public static Encryption to(AgeRecipients recipients) {
        return new Encryption(Objects.requireNonNull(recipients, "recipients"));
    }

    public AgeRecipients recipients() {
        return recipients;
    }

    /**
     * The age ciphertext of {@code plaintext}, produced as it is read. Closing it closes {@code
     * plaintext}; closing it early yields no valid file (the final chunk is written only at the end of
     * the plaintext).
     */
    public InputStream encrypting(InputStream plaintext) {
        return new EncodingStream(Objects.requireNonNull(plaintext, "plaintext"), CHUNK, sink -> {
            try {
                return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                        .newEncryptingChannel(Channels.newChannel(sink), recipients.writers()));
            } catch (GeneralSecurityException e) {
                throw new LifeboatException(
                        ErrorCode.INTERNAL, "cannot start age encryption: " + e.getMessage(), null, e);
            }
        });
    }

    /**
     * The plaintext of the age file {@code ciphertext}. Reads and checks the header now, so a wrong key
     * fails before anything is restored. {@code expectedRecipients} (from the manifest, may be empty)
     * are named when the key does not fit. Closing the result closes {@code ciphertext}.
     *
     * @throws IOException only when reading {@code ciphertext} itself fails
     */
    public static InputStream decrypting(InputStream ciphertext, AgeIdentity identity, List<String> expectedRecipients)
            throws IOException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(identity, "identity");
        List<String> expected = expectedRecipients == null ? List.of() : List.copyOf(expectedRecipients);
        BufferedInputStream in = new BufferedInputStream(ciphertext, MAGIC_BYTES.length);
        try {
            in.mark(MAGIC_BYTES.length);
            byte[] head = in.readNBytes(MAGIC_BYTES.length);
            in.reset();
            if (!Arrays.equals(head, MAGIC_BYTES)) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "the data is not an age-encrypted file (it does not start with 'age-encryption.org/v1')",
                        "it may be stored unencrypted: check the manifest's encryption field");
            }
            ReadableByteChannel channel = new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(in), identity.readers());
            return new DecryptingStream(channel);
        } catch (GeneralSecurityException e) {
            closeQuietly(in);
            if (isKeyMismatch(e)) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "the age identity from " + identity.source() + " (" + String.join(", ", identity.recipients())
                                + ") cannot decrypt this backup"
                                + (expected.isEmpty() ? "" : "; it was encrypted for " + String.join(", ", expected)),
                        "configure the identity file of one of the backup's recipients (identity_file or identity_env)");
            }
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "the age header of the backup is damaged (" + e.getClass().getSimpleName() + ")",
                    "the stored bytes were altered: verify the checksum and use another copy",
                    e);
        } catch (PayloadException e) {
            closeQuietly(in);
            throw damaged(e);
        } catch (IOException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** Whether {@code head} (the first bytes of stored data, at least 8) starts like an age file. */
    public static boolean hasAgeMagic(byte[] head) {
        int n = Math.min(head.length, MAGIC_BYTES.length);
        return n >= 8 && Arrays.equals(head, 0, n, MAGIC_BYTES, 0, n);
    }

    /**
     * A wrong key surfaces as "no recipient stanza matched", possibly once per identity key. A
     * damaged header instead fails to parse or its MAC does not verify.
     */
    private static boolean isKeyMismatch(Throwable e) {
        if (!(e instanceof UnsupportedRecipientStanzaException)) {
            return false;
        }
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof SignatureException
                    || s.getClass().getSimpleName().equals("HeaderDecodingException")
                    || (s instanceof UnsupportedRecipientStanzaException && !isKeyMismatch(s))) {
                return false;
            }
        }
        return true;
    }

    private static LifeboatException damaged(PayloadException e) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "the age-encrypted backup is damaged or truncated (" + e.getMessage() + ")",
                "the stored bytes were altered: verify the checksum and use another copy",
                e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the original failure matters more
        }
    }

    /** jagged's decrypting channel as a stream whose failures say "damaged", not a cipher detail. */
    private static final class DecryptingStream extends BulkReadInputStream {
        private final ReadableByteChannel channel;

        DecryptingStream(ReadableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try {
                return channel.read(ByteBuffer.wrap(b, off, len));
            } catch (PayloadException e) {
                throw damaged(e);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

package dev.lifeboat.core.audit;

import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.HmacSha256;
import dev.lifeboat.core.base.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log's hash chain. Every line ends with {@code "chain":"<hex>"}, the HMAC-SHA256, under
 * the key in {@code audit.key} beside the log, of {@code prev + "\n" + body}: {@code body} is the line
 * as written without that field (the exact bytes, so no canonical JSON is needed), {@code prev} the
 * previous line's chain value, or, when the previous line has none (the first line, lines an older
 * Lifeboat wrote), {@code "sha256:"} and the SHA-256 of every byte of the file before the line. So
 * the first chained line seals the legacy prefix, and changing, inserting or removing any line
 * breaks the chain at the first line after it that can tell. Removing lines at the end cannot be
 * told from the log alone: {@link AuditReport#head} is what to note elsewhere to tell that.
 *
 * <p>Why a key and not plain SHA-256: a plain chain can be recomputed by anyone who edits the file,
 * so it would only find accidents. The key stops whoever can change the log but cannot read the key
 * (a copy of the log checked later against the key kept here, a file shared or restored without the
 * key); whoever can read the key (the user Lifeboat runs as, root) can rewrite the chain, which only
 * a head noted elsewhere reveals (see docs/security.md).
 *
 * <p>Appends are serialized across processes with a lock on the log file (and across threads of this
 * process first: the OS lock belongs to the process), so each line chains to the one before it.
 */
final class AuditChain {
    static final String KEY_FILE = "audit.key";
    private static final Pattern CHAINED = Pattern.compile("(\\{.*),\"chain\":\"([0-9a-f]{64})\"}");
    private static final Object IN_THIS_PROCESS = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path keyFile;

    AuditChain(Path file, Path keyFile) {
        this.file = file;
        this.keyFile = keyFile;
    }

    /** Appends {@code body}, a JSON object on one line, sealed with the chain. */
    void append(String body) throws IOException {
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + body);
        }
        Files.createDirectories(
                file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] key = key(true);
        synchronized (IN_THIS_PROCESS) {
            try (FileChannel ch = FileChannel.open(
                            file,
                            // a link planted at the log's name must not carry audit lines into another file
                            Set.of(
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.READ,
                                    StandardOpenOption.WRITE,
                                    LinkOption.NOFOLLOW_LINKS),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    FileLock lock = ch.lock()) {
                long size = ch.size();
                if (size > 0 && lastByte(ch, size) != '\n') {
                    size += write(ch, size, "\n"); // a torn line (a crash, a full disk) stays a line of its own
                }
                String previous = lastLine(ch, size);
                Matcher m = previous == null ? null : CHAINED.matcher(previous);
                String prev = m != null && m.matches() ? m.group(2) : "sha256:" + sha256(ch, size);
                write(ch, size, seal(key, prev, body) + "\n");
            }
        }
    }

    AuditReport verify() throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new AuditReport(
                    file.toString(),
                    0,
                    0,
                    0,
                    Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? file + " is not a regular file" : null,
                    null);
        }
        byte[] key = key(false);
        MessageDigest before = sha256();
        long n = 0;
        long legacy = 0;
        String prevChain = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
            for (byte[] line; (line = readLine(in)) != null; ) {
                n++;
                String text = new String(line, StandardCharsets.UTF_8);
                Matcher m = CHAINED.matcher(text);
                if (!m.matches()) {
                    if (prevChain != null) {
                        return new AuditReport(
                                file.toString(),
                                n,
                                legacy,
                                n,
                                "line " + n + " has no chain after chained lines: it was inserted or edited"
                                        + " (or a write was torn by a crash or a full disk)",
                                prevChain);
                    }
                    legacy++;
                } else {
                    if (key == null) {
                        return new AuditReport(
                                file.toString(),
                                n,
                                legacy,
                                0,
                                "the audit key " + keyFile + " is missing: the chained lines cannot be checked",
                                null);
                    }
                    String prev = prevChain != null
                            ? prevChain
                            : "sha256:" + hex(clone(before).digest());
                    String expected = mac(key, prev, m.group(1) + "}");
                    if (!MessageDigest.isEqual(
                            expected.getBytes(StandardCharsets.US_ASCII),
                            m.group(2).getBytes(StandardCharsets.US_ASCII))) {
                        return new AuditReport(
                                file.toString(),
                                n,
                                legacy,
                                n,
                                "line " + n + " does not match the chain: it, or a line before it, was changed,"
                                        + " inserted or removed",
                                prevChain);
                    }
                    prevChain = m.group(2);
                }
                before.update(line);
                before.update((byte) '\n');
            }
        }
        return new AuditReport(file.toString(), n, legacy, 0, null, prevChain);
    }

    private static String seal(byte[] key, String prev, String body) {
        return body.substring(0, body.length() - 1) + ",\"chain\":\"" + mac(key, prev, body) + "\"}";
    }

    private static String mac(byte[] key, String prev, String body) {
        return hex(HmacSha256.keyed(key)
                .update(prev.getBytes(StandardCharsets.UTF_8))
                .update((byte) '\n')
                .update(body.getBytes(StandardCharsets.UTF_8))
                .done());
    }

    /** The key, made on first use (create-only, so concurrent first uses agree); null when missing and not made. */
    private byte[] key(boolean create) throws IOException {
        if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            if (!create) {
                return null;
            }
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            try {
                PrivateFiles.write(keyFile, k, true);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: use theirs
            }
        }
        if (Files.isSymbolicLink(keyFile)) {
            throw new IOException(keyFile + " is a symbolic link; the audit key must be a file of its own");
        }
        FilePermissions.requireOwnerOnly(keyFile, "audit key");
        byte[] k;
        try (InputStream in = Files.newInputStream(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            k = in.readNBytes(33); // a bounded read: one byte more than a key tells a longer file apart
        }
        if (k.length != 32) {
            throw new IOException("the audit key " + keyFile + " is damaged (" + k.length + " bytes, not 32)");
        }
        return k;
    }

    private static byte lastByte(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, size - 1);
        return b.get(0);
    }

    /** The last line of the first {@code size} bytes (which end with a newline), or null for none. */
    private static String lastLine(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return null;
        }
        long end = size - 1; // the newline
        long start = end;
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        while (start > 0) {
            long from = Math.max(0, start - chunk.capacity());
            chunk.clear().limit((int) (start - from));
            while (chunk.hasRemaining() && ch.read(chunk, from + chunk.position()) > 0) {
                // read the whole chunk
            }
            int newline = -1;
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    newline = i;
                    break;
                }
            }
            if (newline >= 0) {
                start = from + newline + 1;
                break;
            }
            start = from;
        }
        ByteBuffer line = ByteBuffer.allocate((int) (end - start));
        while (line.hasRemaining() && ch.read(line, start + line.position()) > 0) {
            // read the whole line
        }
        return new String(line.array(), StandardCharsets.UTF_8);
    }

    private static String sha256(FileChannel ch, long size) throws IOException {
        MessageDigest d = sha256();
        InputStream in = Channels.newInputStream(ch.position(0));
        byte[] buf = new byte[65536];
        long left = size;
        for (int r; left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
            d.update(buf, 0, r);
            left -= r;
        }
        return hex(d.digest());
    }

    private static int write(FileChannel ch, long at, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        int n = b.remaining();
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        return n;
    }

    /** The next line without its newline (the last may lack one), or null at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static MessageDigest clone(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

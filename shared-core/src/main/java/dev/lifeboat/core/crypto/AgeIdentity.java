package dev.lifeboat.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret half: one or more age X25519 identities ({@code AGE-SECRET-KEY-1…}) read from an identity
 * file in age-keygen's format (comments, blank lines, one key a line) or from an environment variable.
 * Each key is a {@link Secret}, so it is masked wherever it might be printed, and no message this class
 * makes contains it; messages name the file or variable and the matching public keys instead.
 */
public final class AgeIdentity {
    private static final String SECRET_PREFIX = "AGE-SECRET-KEY-1";

    private final List<Secret> keys;
    private final List<String> recipients;
    private final String source;

    private AgeIdentity(List<Secret> keys, List<String> recipients, String source) {
        this.keys = List.copyOf(keys);
        this.recipients = List.copyOf(recipients);
        this.source = source;
    }

    /**
     * Reads an identity file. It must be readable by its owner only (like {@code ssh} keys); {@code
     * setting} (e.g. {@code stores.offsite.encryption.identity_file}) names it in error messages.
     */
    public static AgeIdentity fromFile(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    setting + ": identity file " + file + " does not exist",
                    "point it at the file age-keygen wrote (age-keygen -o " + file + ")");
        }
        FilePermissions.requireOwnerOnly(file, setting);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    setting + ": cannot read identity file " + file + ": "
                            + e.getClass().getSimpleName(),
                    null);
        }
        return parse(text, setting + " (" + file + ")");
    }

    /**
     * Reads the identity from environment variable {@code variable} (its value is the key, or a whole
     * identity file's text); {@code setting} names the config entry in messages.
     */
    public static AgeIdentity fromEnvironment(String variable, Map<String, String> env, String setting) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    setting + ": environment variable " + variable + " is not set",
                    "export " + variable + " with the age secret key (AGE-SECRET-KEY-1…) before running lifeboat");
        }
        return parse(value, setting + " ($" + variable + ")");
    }

    /** A fresh random identity, e.g. for {@code lifeboat key generate} and tests. */
    public static AgeIdentity generate() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            String secret = pair.getPrivate().toString();
            return new AgeIdentity(
                    List.of(Secret.of(secret)), List.of(pair.getPublic().toString()), "generated");
        } catch (GeneralSecurityException e) {
            throw new LifeboatException(ErrorCode.INTERNAL, "cannot generate an X25519 key pair", null);
        }
    }

    private static AgeIdentity parse(String text, String source) {
        List<Secret> keys = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.toUpperCase(Locale.ROOT).startsWith(SECRET_PREFIX)) {
                Secret key = Secret.of(line);
                recipients.add(recipientOf(line, source, i + 1));
                keys.add(key);
            } else if (line.startsWith("AGE-PLUGIN-")) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        source + ": line " + (i + 1) + " is an age plugin identity; only X25519 identities "
                                + "(AGE-SECRET-KEY-1…) are supported",
                        null);
            } else {
                // the line could be a mangled key: say where it is, not what it holds
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        source + ": line " + (i + 1) + " is neither a comment nor an age secret key",
                        "an identity file holds lines starting with AGE-SECRET-KEY-1 and '#' comments, as written by "
                                + "age-keygen");
            }
        }
        if (keys.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    source + ": no age secret key (AGE-SECRET-KEY-1…) found",
                    "create one with age-keygen");
        }
        return new AgeIdentity(keys, recipients, source);
    }

    private static String recipientOf(String secret, String source, int line) {
        try {
            SecretKeySpec spec = new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "X25519");
            return new X25519KeyFactory().translateKey(spec).toString();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the cause can quote the key's characters: drop it
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    source + ": line " + line + " is not a valid age secret key (bad checksum or length)",
                    "copy the whole AGE-SECRET-KEY-1… line from the file age-keygen wrote");
        }
    }

    /** The public keys ({@code age1…}) of these identities: what a backup must be encrypted to. */
    public List<String> recipients() {
        return recipients;
    }

    /** Where the identity came from (setting and file or variable), for messages. */
    public String source() {
        return source;
    }

    /** Writes this identity in age-keygen's format to a new file readable by its owner only. */
    public void writeTo(Path file) {
        StringBuilder text = new StringBuilder();
        text.append("# created: ")
                .append(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS))
                .append('\n');
        for (int i = 0; i < keys.size(); i++) {
            text.append("# public key: ").append(recipients.get(i)).append('\n');
            text.append(keys.get(i).reveal()).append('\n');
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
                w.write(text.toString());
            }
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot write identity file " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    "choose a path that does not exist yet in a writable directory");
        }
    }

    List<RecipientStanzaReader> readers() {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (Secret key : keys) {
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(key.reveal()));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID, source + ": an age secret key cannot be used", null);
            }
        }
        return readers;
    }

    @Override
    public String toString() {
        return "AgeIdentity[" + source + " for " + String.join(", ", recipients) + "]";
    }
}

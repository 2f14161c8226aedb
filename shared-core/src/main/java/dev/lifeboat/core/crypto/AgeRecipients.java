package dev.lifeboat.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The public keys ({@code age1…}) a backup is encrypted to: any one matching identity decrypts it.
 * Parsing checks each key fully (Bech32 checksum and curve point), so a typo fails when the config is
 * loaded rather than after the first backup was written to nobody.
 */
public final class AgeRecipients {
    private final List<String> keys;
    private final List<RecipientStanzaWriter> writers;

    private AgeRecipients(List<String> keys, List<RecipientStanzaWriter> writers) {
        this.keys = List.copyOf(keys);
        this.writers = List.copyOf(writers);
    }

    /**
     * Parses recipients from a config setting. {@code setting} (e.g. {@code stores.offsite.encryption.recipients})
     * names the list in error messages; each bad entry is named by its index and value. Duplicates
     * are dropped, order is kept.
     */
    public static AgeRecipients parse(List<String> recipients, String setting) {
        if (recipients == null || recipients.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    setting + ": at least one age recipient (age1…) is required",
                    "generate a key pair with age-keygen and list its public key here");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String raw = recipients.get(i);
            String at = setting + "[" + i + "]";
            String key = raw == null ? "" : raw.strip();
            if (key.toUpperCase(Locale.ROOT).startsWith("AGE-SECRET-KEY-")) {
                // never echo a secret key, even one pasted into the wrong place
                problems.add(at + ": is an age secret key (AGE-SECRET-KEY-…), not a recipient; put its public key "
                        + "(age-keygen -y) here and keep the secret key in an identity file");
                continue;
            }
            String problem = problemWith(key);
            if (problem != null) {
                problems.add(at + ": '" + key + "' " + problem);
                continue;
            }
            if (!seen.add(key)) {
                continue;
            }
            try {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(key));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                problems.add(at + ": '" + key + "' is not a valid age X25519 public key");
                seen.remove(key);
            }
        }
        if (!problems.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    String.join("; ", problems),
                    "an age recipient is the public key printed by age-keygen: age1 followed by 58 lower-case "
                            + "letters and digits");
        }
        return new AgeRecipients(new ArrayList<>(seen), writers);
    }

    /** Convenience for one recipient, e.g. from a CLI option. */
    public static AgeRecipients of(String recipient, String setting) {
        return parse(List.of(recipient), setting);
    }

    /** Why {@code key} cannot be an X25519 recipient, or null when its shape is right (its checksum is checked later). */
    private static String problemWith(String key) {
        if (key.isEmpty()) {
            return "is empty";
        }
        if (key.startsWith("ssh-")) {
            return "is an SSH key; only age X25519 recipients (age1…) are supported";
        }
        // '1' is not in the Bech32 alphabet, so a second one separates a plugin name (age1yubikey1…)
        if (key.startsWith("age1") && key.indexOf('1', 4) > 0) {
            return "looks like an age plugin recipient; only X25519 recipients (age1…) are supported";
        }
        if (!key.startsWith("age1")) {
            return "does not start with age1";
        }
        if (key.length() != 62) {
            return "has " + key.length() + " characters, an age recipient has 62";
        }
        return null;
    }

    /** The recipients as written in the config, for the manifest and for messages. */
    public List<String> keys() {
        return keys;
    }

    List<RecipientStanzaWriter> writers() {
        return writers;
    }

    @Override
    public String toString() {
        return String.join(", ", keys);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgeRecipients other && keys.equals(other.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }
}

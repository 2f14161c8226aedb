package dev.lifeboat.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A store's client-side encryption: backups written to it are encrypted in the age format to every
 * recipient; reading them back needs one matching identity, from a 0600 file or an environment
 * variable. Only public keys live in the config.
 *
 * @param recipients the {@code age1…} public keys backups are encrypted to (empty: write unencrypted,
 *     but still able to read encrypted backups with the identity)
 * @param identityFile the identity file ({@code AGE-SECRET-KEY-1…}) for verify and restore, or null
 * @param identityEnv the environment variable holding the identity, or null
 */
public record StoreEncryption(List<String> recipients, Path identityFile, String identityEnv) {
    public StoreEncryption {
        recipients = List.copyOf(recipients);
    }
}

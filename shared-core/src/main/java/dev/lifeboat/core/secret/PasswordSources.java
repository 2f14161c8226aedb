package dev.lifeboat.core.secret;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Turns a configured database into a {@link ConnectionSpec}, fetching its password from where the
 * config says: an environment variable, a 0600 file, a libpq passfile, or (for the embedded default)
 * PGPASSWORD. Missing sources fail with a message that names the variable or file, never the value.
 */
public final class PasswordSources {
    private final Map<String, String> env;

    public PasswordSources(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * The value of environment variable {@code name} (a notification's signing key), registered with
     * the redactor; null when it is unset or empty.
     */
    public dev.lifeboat.core.base.Secret env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : dev.lifeboat.core.base.Secret.of(v);
    }

    public ConnectionSpec connect(DatabaseConfig db) {
        Secret password = null;
        if (db.passwordEnv() != null) {
            String v = env.get(db.passwordEnv());
            if (v == null || v.isEmpty()) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "databases." + db.name() + ".password_env: environment variable " + db.passwordEnv()
                                + " is not set",
                        "export " + db.passwordEnv() + " before running lifeboat");
            }
            password = Secret.of(v);
        } else if (db.passwordFile() != null) {
            FilePermissions.requireOwnerOnly(db.passwordFile(), "databases." + db.name() + ".password_file");
            try {
                String v = Files.readString(db.passwordFile(), StandardCharsets.UTF_8)
                        .strip();
                if (v.isEmpty()) {
                    throw new LifeboatException(
                            ErrorCode.CONFIG_INVALID,
                            "databases." + db.name() + ".password_file: " + db.passwordFile() + " is empty",
                            null);
                }
                password = Secret.of(v);
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "databases." + db.name() + ".password_file: cannot read " + db.passwordFile() + ": "
                                + e.getMessage(),
                        null);
            }
        } else if (db.passwordFromPgEnv()) {
            String v = env.get("PGPASSWORD");
            if (v != null && !v.isEmpty()) {
                password = Secret.of(v);
            }
        }
        if (db.passfile() != null) {
            FilePermissions.requireOwnerOnly(db.passfile(), "databases." + db.name() + ".passfile");
        }
        return new ConnectionSpec(db.host(), db.port(), db.dbname(), db.user(), db.sslmode(), password, db.passfile());
    }

    /**
     * The age identity that decrypts backups in {@code store}, from the file or environment variable
     * its {@code encryption} settings name. CONFIG_INVALID naming the settings and the recipients the
     * backup needs when none is configured.
     */
    public dev.lifeboat.core.crypto.AgeIdentity ageIdentity(
            dev.lifeboat.core.config.StoreConfig store, java.util.List<String> neededRecipients) {
        String at = "stores." + store.name() + ".encryption";
        dev.lifeboat.core.config.StoreEncryption enc = store.encryption();
        if (enc != null && enc.identityFile() != null) {
            return dev.lifeboat.core.crypto.AgeIdentity.fromFile(enc.identityFile(), at + ".identity_file");
        }
        if (enc != null && enc.identityEnv() != null) {
            return dev.lifeboat.core.crypto.AgeIdentity.fromEnvironment(enc.identityEnv(), env, at + ".identity_env");
        }
        throw new LifeboatException(
                ErrorCode.CONFIG_INVALID,
                "this backup is encrypted (age) for " + String.join(", ", neededRecipients)
                        + ", and no key to decrypt it is configured for store '" + store.name() + "'",
                "set " + at + ".identity_file (a 0600 file from age-keygen) or " + at
                        + ".identity_env to the identity of one of those recipients");
    }
}

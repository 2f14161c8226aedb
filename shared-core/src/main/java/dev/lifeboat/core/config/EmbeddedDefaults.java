package dev.lifeboat.core.config;

import static dev.lifeboat.core.config.Locations.firstNonBlank;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration without a file: one database from libpq's environment ({@code PGHOST},
 * {@code PGPORT}, {@code PGUSER}, {@code PGDATABASE}, {@code PGPASSWORD}, {@code PGPASSFILE},
 * {@code PGSSLMODE}) and one local store under the XDG data directory.
 */
final class EmbeddedDefaults {
    private EmbeddedDefaults() {}

    static LifeboatConfig of(Map<String, String> env) {
        Locations locations = new Locations(env, null);
        String user = firstNonBlank(env.get("PGUSER"), env.get("USER"), System.getProperty("user.name"), "postgres");
        String dbname = firstNonBlank(env.get("PGDATABASE"), user);
        String host = firstNonBlank(env.get("PGHOST"), "localhost");
        int port = 5432;
        String portText = env.get("PGPORT");
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
            } catch (NumberFormatException e) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID, "PGPORT: '" + portText + "' is not a port number", null);
            }
        }
        String passfile = env.get("PGPASSFILE");
        String sslmode = env.get("PGSSLMODE");
        String name = nameFor(dbname);
        DatabaseConfig db = DatabaseConfig.builder()
                .name(name)
                .host(host)
                .port(port)
                .dbname(dbname)
                .user(user)
                .sslmode(sslmode == null || sslmode.isBlank() ? null : sslmode)
                .passfile(passfile == null || passfile.isBlank() ? null : Path.of(passfile))
                .passwordFromPgEnv(
                        env.get("PGPASSWORD") != null && !env.get("PGPASSWORD").isEmpty())
                .rowCounts(RowCounts.ESTIMATE)
                .keepPrevious(DatabaseConfig.DEFAULT_KEEP_PREVIOUS)
                .restoreLockTimeout(DatabaseConfig.DEFAULT_RESTORE_LOCK_TIMEOUT)
                .build();
        return new LifeboatConfig(
                null,
                Map.of(name, db),
                Map.of("local", localStore(locations)),
                name,
                "local",
                locations.defaultStateDir(),
                Duration.ofMinutes(5),
                ApprovalMode.TOKEN,
                Map.of(),
                Map.of(),
                0,
                null,
                null,
                null);
    }

    /** The store a config without {@code stores:} gets: {@code $XDG_DATA_HOME/lifeboat/backups}. */
    static StoreConfig localStore(Locations locations) {
        Path dir = locations.xdgDataHome().resolve("lifeboat").resolve("backups");
        return new StoreConfig("local", StoreUri.parse(dir.toUri().toString(), "stores.local.uri"), Map.of());
    }

    /** A configured name derived from a database name: lower-case, invalid characters become '-'. */
    static String nameFor(String dbname) {
        String n =
                dbname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+|[-_]+$", "");
        if (n.length() > 48) {
            n = n.substring(0, 48).replaceAll("[-_]+$", "");
        }
        return n.isEmpty() ? "db" : n;
    }
}

package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgClientEnvironmentTest {
    @TempDir
    Path dir;

    private final Map<String, String> inherited = Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/x",
            "PGDATABASE", "other",
            "PGOPTIONS", "-c statement_timeout=1",
            "PGPASSWORD", "inherited-secret",
            "PGSSLROOTCERT", "/etc/ca.pem",
            "LC_ALL", "de_DE.UTF-8");

    /** What a shell of someone who runs Lifeboat holds: a few things a tool needs, many it must not see. */
    private static Map<String, String> aRealisticEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.putAll(Map.of(
                "PATH", "/opt/pg/bin:/usr/bin",
                "HOME", "/home/x",
                "LANG", "de_DE.UTF-8",
                "LC_CTYPE", "de_DE.UTF-8",
                "LC_ALL", "de_DE.UTF-8",
                "LANGUAGE", "de:en",
                "TZ", "Europe/Berlin",
                "TMPDIR", "/var/tmp",
                "PGSSLROOTCERT", "/etc/ca.pem",
                "PGGSSENCMODE", "disable"));
        env.putAll(Map.of(
                "APP_DB_PASSWORD", "canary-db-password",
                "AWS_SECRET_ACCESS_KEY", "canary-aws-secret",
                "AWS_ACCESS_KEY_ID", "AKIACANARY",
                "AWS_SESSION_TOKEN", "canary-aws-token",
                "GOOGLE_APPLICATION_CREDENTIALS", "/home/x/canary-gcp.json",
                "AZURE_STORAGE_KEY", "canary-azure",
                "LIFEBOAT_TEST_CANARY", "canary-lifeboat",
                "LIFEBOAT_MCP_TOKEN", "canary-mcp-token",
                "BACKUP_AGE_IDENTITY", "AGE-SECRET-KEY-1CANARY",
                "SSH_AUTH_SOCK", "/tmp/ssh-canary/agent.1"));
        env.putAll(Map.of(
                "PGPASSWORD", "canary-pgpassword",
                "PGSERVICE", "canary-service",
                "PGSERVICEFILE", "/home/x/canary-service.conf",
                "PGOPTIONS", "-c search_path=canary",
                "DATABASE_URL", "postgres://u:canary@h/db",
                "USER", "x",
                "SHELL", "/bin/bash",
                "TERM", "xterm"));
        return env;
    }

    @Test
    void theBaseIsTheAllowListAndNothingElse() {
        Map<String, String> env = PgClientEnvironment.base(aRealisticEnvironment());
        assertThat(env)
                .containsOnly(
                        Map.entry("PATH", "/opt/pg/bin:/usr/bin"),
                        Map.entry("HOME", "/home/x"),
                        Map.entry("LANG", "de_DE.UTF-8"),
                        Map.entry("LC_CTYPE", "de_DE.UTF-8"),
                        Map.entry("LC_MESSAGES", "C"),
                        Map.entry("TZ", "Europe/Berlin"),
                        Map.entry("TMPDIR", "/var/tmp"),
                        Map.entry("PGSSLROOTCERT", "/etc/ca.pem"),
                        Map.entry("PGGSSENCMODE", "disable"));
        assertThat(String.join("\n", env.values())).doesNotContainIgnoringCase("canary");
    }

    @Test
    void theAllowListHoldsNoSecretsOwnPrefixAndNoVariableThatPicksTheDatabase() {
        for (String name : PgClientEnvironment.ALLOWED) {
            assertThat(name)
                    .doesNotStartWith("AWS_")
                    .doesNotStartWith("GOOGLE_")
                    .doesNotStartWith("AZURE_");
            assertThat(name).doesNotStartWith("LIFEBOAT_").doesNotStartWith("PG");
            assertThat(name).doesNotContain("PASS").doesNotContain("SECRET").doesNotContain("TOKEN");
        }
        assertThat(PgClientEnvironment.KEPT_PG_VARIABLES)
                .doesNotContain("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS", "PGDATABASE")
                .doesNotContain("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGTARGETSESSIONATTRS");
    }

    @Test
    void aPreparedEnvironmentAddsOnlyTheConnectionAndThePassfile() {
        Map<String, String> caller = aRealisticEnvironment();
        ConnectionSpec spec =
                new ConnectionSpec("db", 5433, "app", "me", "require", Secret.of(caller.get("APP_DB_PASSWORD")), null);
        PgClientEnvironment.Prepared p = PgClientEnvironment.prepare(spec, caller, new Passfiles(dir));
        Map<String, String> expected = new HashMap<>(PgClientEnvironment.base(caller));
        expected.putAll(Map.of(
                "PGHOST", "db",
                "PGPORT", "5433",
                "PGUSER", "me",
                "PGDATABASE", "app",
                "PGAPPNAME", "lifeboat",
                "PGSSLMODE", "require",
                "PGCONNECT_TIMEOUT", "10",
                "PGPASSFILE", p.passfile().toString()));
        assertThat(p.env()).isEqualTo(expected);
        p.cleanup().run();
    }

    @Test
    void aPasswordVariableWithAnAllowedNameStaysOut() {
        // password_env: PGSSLCRL is absurd, but a config naming an allowed variable must not hand its value on
        Map<String, String> caller = new HashMap<>(aRealisticEnvironment());
        caller.put("PGSSLCRL", "canary-in-an-allowed-name");
        ConnectionSpec spec =
                new ConnectionSpec("db", 5432, "app", "me", null, Secret.of(caller.get("PGSSLCRL")), null);
        PgClientEnvironment.Prepared p = PgClientEnvironment.prepare(spec, caller, new Passfiles(dir));
        assertThat(p.env()).doesNotContainKey("PGSSLCRL");
        assertThat(p.env().values()).noneMatch(v -> v.contains("canary"));
        p.cleanup().run();
    }

    @Test
    void statesTheConnectionAndDropsInheritedPgVariables() {
        ConnectionSpec spec = new ConnectionSpec("db", 5433, "app", "me", "require", Secret.of("s3cr:t\\pw"), null);
        PgClientEnvironment.Prepared p = PgClientEnvironment.prepare(spec, inherited, new Passfiles(dir));
        assertThat(p.env())
                .containsEntry("PGHOST", "db")
                .containsEntry("PGPORT", "5433")
                .containsEntry("PGDATABASE", "app")
                .containsEntry("PGUSER", "me")
                .containsEntry("PGSSLMODE", "require")
                .containsEntry("PGSSLROOTCERT", "/etc/ca.pem")
                .containsEntry("PGPASSFILE", p.passfile().toString())
                .containsEntry("LC_MESSAGES", "C")
                .containsEntry("PATH", "/usr/bin")
                .doesNotContainKeys("PGOPTIONS", "PGPASSWORD", "LC_ALL");
        assertThat(p.env().values()).noneMatch(v -> v.contains("s3cr"));
        p.cleanup().run();
    }

    @Test
    void thePassfileIsOwnerOnlyEscapedAndGoneAfterCleanup() throws IOException {
        ConnectionSpec spec = new ConnectionSpec("db", 5432, "app", "me", null, Secret.of("s3cr:t\\pw"), null);
        Path run = dir.resolve("state").resolve("run");
        PgClientEnvironment.Prepared p = PgClientEnvironment.prepare(spec, inherited, new Passfiles(run));
        assertThat(p.passfile().getParent()).isEqualTo(run);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.passfile())))
                .isEqualTo("rw-------");
        assertThat(p.passfile().getFileName().toString())
                .startsWith("lifeboat-pgpass-" + ProcessHandle.current().pid() + "-")
                .endsWith(".tmp");
        List<String> lines = Files.readAllLines(p.passfile());
        assertThat(lines).containsExactly("*:*:*:*:s3cr\\:t\\\\pw");
        assertThat(PgJdbc.lookupPassfile(lines, "db", "5432", "app", "me")).isEqualTo("s3cr:t\\pw");
        p.cleanup().run();
        assertThat(p.passfile()).doesNotExist();
    }

    @Test
    void withoutAPasswordLibpqsOwnPassfileIsKept() {
        ConnectionSpec spec = new ConnectionSpec("db", 5432, "app", "me", null, null, null);
        var env = new HashMap<>(inherited);
        env.put("PGPASSFILE", "/home/x/.pgpass-custom");
        PgClientEnvironment.Prepared p = PgClientEnvironment.prepare(spec, env, new Passfiles(dir));
        assertThat(p.passfile()).isNull();
        assertThat(p.env()).containsEntry("PGPASSFILE", "/home/x/.pgpass-custom");

        Path configured = dir.resolve("configured.pgpass");
        p = PgClientEnvironment.prepare(
                new ConnectionSpec("db", 5432, "app", "me", null, null, configured), env, new Passfiles(dir));
        assertThat(p.env()).containsEntry("PGPASSFILE", configured.toString());

        // neither: libpq reads ~/.pgpass, so HOME is passed on
        p = PgClientEnvironment.prepare(spec, inherited, new Passfiles(dir));
        assertThat(p.env()).doesNotContainKey("PGPASSFILE").containsEntry("HOME", "/home/x");
    }
}

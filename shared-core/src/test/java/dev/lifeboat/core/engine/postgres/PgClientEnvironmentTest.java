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

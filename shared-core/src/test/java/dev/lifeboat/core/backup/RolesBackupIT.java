package dev.lifeboat.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleRoles;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code globals: roles} against a real PostgreSQL: the backup keeps, beside its data and under the
 * manifest's checksum, the roles the database's objects need and no password hash; with it, the
 * stock tools restore the backup onto a freshly initdb'd server that has none of those roles, owners
 * and grants intact.
 */
class RolesBackupIT extends OverSharedCluster {
    private SampleRoles roles;
    private String unrelated;

    @AutoClose
    private BackupService service;

    @BeforeEach
    void setUp() {
        source = pg.createUniqueDatabase("roles");
        roles = SampleRoles.create(pg);
        unrelated = PgCluster.uniqueName("unrelated");
        pg.execute("postgres", "CREATE ROLE " + unrelated + " LOGIN PASSWORD 'unrelated-secret'");
        pg.execute(
                source,
                "CREATE TABLE public.accounts (id int PRIMARY KEY, name text)",
                "INSERT INTO public.accounts SELECT g, 'n' || g FROM generate_series(1, 50) g",
                "ALTER TABLE public.accounts OWNER TO " + roles.owner(),
                "GRANT SELECT ON public.accounts TO " + roles.reader());
        live = LiveService.over(pg, dir)
                .database("app", source, d -> d.set("globals", "roles").set("store", "local"))
                .store("local")
                .store("vault");
        service = live.open();
    }

    @Test
    void theBackupKeepsTheRolesItsObjectsNeedWithoutPasswordsUnderTheManifestsChecksum() throws Exception {
        Manifest m = service.create(new CreateBackupRequest("app", null, null, Map.of()), ctx)
                .manifest();

        assertThat(m.roles()).isNotNull();
        assertThat(m.roles().names())
                .contains(roles.owner(), roles.reader(), roles.group(), PgCluster.SUPERUSER)
                .doesNotContain(unrelated);
        Path rolesFile = live.data("local", "app", m.id()).resolveSibling("roles.sql");
        String script = Files.readString(rolesFile);
        assertThat(script)
                .contains(
                        "CREATE ROLE " + roles.owner() + ";",
                        "CREATE ROLE " + roles.reader() + ";",
                        "GRANT " + roles.group() + " TO " + roles.reader())
                .doesNotContain(unrelated, "SCRAM-SHA-256$", "canary", "PASSWORD")
                // an md5 password hash, not any "md5": pg_dumpall's random \restrict key may hold one
                .doesNotContainPattern("md5[0-9a-f]{32}");
        assertThat(Files.size(rolesFile)).isEqualTo(m.roles().sizeBytes());

        VerificationReport ok = service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx);
        assertThat(ok.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("roles-sha256");
            assertThat(c.passed()).isTrue();
        });
        Files.writeString(
                rolesFile,
                script.replace("CREATE ROLE " + roles.owner() + ";", "CREATE ROLE " + roles.owner() + " SUPERUSER;"));
        assertThat(service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx).passed())
                .isFalse();
    }

    @Test
    void aCopyCarriesTheRolesCheckedOnTheWay() throws Exception {
        Manifest m = service.create(new CreateBackupRequest("app", "local", null, Map.of()), ctx)
                .manifest();

        service.copy(m.id(), "local", "vault", ctx);

        Path copied = live.data("vault", "app", m.id()).resolveSibling("roles.sql");
        assertThat(copied)
                .hasSameBinaryContentAs(live.data("local", "app", m.id()).resolveSibling("roles.sql"));
        assertThat(service.verify(m.id(), "vault", VerifyLevel.CHECKSUM, ctx).passed())
                .isTrue();
    }

    @Test
    void theStockToolsRestoreItOntoAFreshServerWithOwnersAndGrants() throws Exception {
        Manifest m = service.create(new CreateBackupRequest("app", null, null, Map.of()), ctx)
                .manifest();
        Path dump = live.data("local", "app", m.id());
        try (PgCluster fresh = PgCluster.start("fresh-" + Long.toHexString(System.nanoTime()))) {
            assertThat(fresh.queryValue(
                            "postgres", "SELECT count(*) FROM pg_roles WHERE rolname = '" + roles.owner() + "'"))
                    .isEqualTo("0");
            // by hand: psql -f roles.sql, createdb, pg_restore (as the superuser, owners kept)
            run(
                    fresh,
                    List.of(
                            fresh.clientTool("psql").toString(),
                            "-X",
                            "-q",
                            "-h",
                            fresh.host(),
                            "-p",
                            Integer.toString(fresh.port()),
                            "-U",
                            PgCluster.SUPERUSER,
                            "-d",
                            "postgres",
                            "-f",
                            dump.resolveSibling("roles.sql").toString()));
            fresh.execute("postgres", "CREATE DATABASE app TEMPLATE template0");
            List<String> restore = new ArrayList<>(fresh.pgRestoreCommand("app"));
            restore.remove("--no-owner");
            restore.add(dump.toString());
            run(fresh, restore);

            assertThat(fresh.queryValue("app", "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'"))
                    .isEqualTo(roles.owner());
            assertThat(fresh.queryValue(
                            "app", "SELECT has_table_privilege('" + roles.reader() + "', 'public.accounts', 'SELECT')"))
                    .isEqualTo("t");
            assertThat(fresh.queryValue(
                            "postgres",
                            "SELECT rolcanlogin AND rolpassword IS NULL FROM pg_authid WHERE" + " rolname = '"
                                    + roles.owner() + "'"))
                    .as("created without a password: the docs say how to set one")
                    .isEqualTo("t");
        }
    }

    private static void run(PgCluster cluster, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(cluster.clientEnv());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command.get(0) + ": " + out).isZero();
    }
}

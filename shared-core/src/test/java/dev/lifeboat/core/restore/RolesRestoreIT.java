package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleRoles;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who owns what a restore creates, against real PostgreSQL: a backup whose table belongs to one role
 * and is granted to another (a member of a group role), restored onto the same server (owners kept)
 * and onto a freshly initdb'd server that has none of those roles: refused naming them, restored with
 * the roles created from those kept with the backup, or with everything given to the restoring login.
 */
class RolesRestoreIT extends OverSharedCluster {
    private static final String FRESH_PW = "LB_FRESH_PW";
    private static PgCluster fresh;

    private SampleRoles roles;

    @AutoClose
    private BackupService service;

    @BeforeAll
    static void startFreshServer() {
        fresh = PgCluster.start("fresh-" + Long.toHexString(System.nanoTime()));
    }

    @AfterAll
    static void stopFreshServer() {
        fresh.close();
    }

    @BeforeEach
    void setUp() {
        source = pg.createUniqueDatabase("owned");
        roles = SampleRoles.create(pg);
        pg.execute(
                source,
                "CREATE SCHEMA shop AUTHORIZATION " + roles.owner(),
                "CREATE TABLE shop.accounts (id serial PRIMARY KEY, name text)",
                "INSERT INTO shop.accounts (name) SELECT 'n' || g FROM generate_series(1, 30) g",
                "ALTER TABLE shop.accounts OWNER TO " + roles.owner(),
                "GRANT USAGE ON SCHEMA shop TO " + roles.reader(),
                "GRANT SELECT ON shop.accounts TO " + roles.reader());
        live = LiveService.over(pg, dir)
                .database(
                        "app",
                        source,
                        d -> d.set("globals", "roles").set("store", "local").drillTarget("fresh"))
                .database("plain", source, d -> d.set("store", "local").drillTarget("fresh"))
                .database("samehost", source, d -> d.set("store", "local").drillTarget("app"))
                .store("local")
                .env(FRESH_PW, fresh.password())
                .config(c -> c.database(
                        "fresh",
                        db -> db.host(fresh.host())
                                .port(fresh.port())
                                .dbname("postgres_app")
                                .user(PgCluster.SUPERUSER)
                                .sslmode("disable")
                                .passwordEnv(FRESH_PW)));
        service = live.open();
    }

    private String backup(String database) {
        return service.create(new CreateBackupRequest(database, null, null, Map.of()), ctx)
                .manifest()
                .id();
    }

    private RestoreRequest onto(String server, String id, String dbname) {
        return new RestoreRequest(id, null, server, dbname, RestoreMode.CREATE, null);
    }

    @Test
    void aRestoreOnTheSameServerKeepsTheOwnersAndGrants() {
        String id = backup("app");
        String copy = PgCluster.uniqueName("copy");

        service.restore(onto("app", id, copy), ctx);

        assertThat(pg.queryValue(copy, "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'"))
                .isEqualTo(roles.owner());
        assertThat(pg.queryValue(copy, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'shop'"))
                .isEqualTo(roles.owner());
        assertThat(pg.queryValue(
                        copy, "SELECT has_table_privilege('" + roles.reader() + "', 'shop.accounts', 'SELECT')"))
                .isEqualTo("t");
    }

    @Test
    void aFreshServerWithoutTheRolesIsRefusedNamingThemAndNothingIsCreated() {
        String id = backup("app");
        String target = PgCluster.uniqueName("target");

        assertThatThrownBy(() -> service.restore(onto("fresh", id, target), ctx))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains(roles.owner(), roles.reader(), "nothing was restored");
                    assertThat(e.hint()).contains("{CREATE_ROLES}", "{NO_OWNER}");
                });
        assertThat(fresh.databaseExists(target)).isFalse();
        assertThat(roleCount(roles.owner(), roles.reader(), roles.group())).isEqualTo("0");
    }

    @Test
    void createRolesMakesTheMissingRolesWithoutPasswordsAndKeepsOwnersAndGrants() {
        String id = backup("app");
        String target = PgCluster.uniqueName("target");

        RestoreResult result = service.restore(onto("fresh", id, target).owning(Owners.CREATE_ROLES), ctx);

        assertThat(fresh.queryValue(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'"))
                .isEqualTo(roles.owner());
        assertThat(fresh.queryValue(
                        target, "SELECT has_table_privilege('" + roles.reader() + "', 'shop.accounts', 'SELECT')"))
                .isEqualTo("t");
        assertThat(fresh.queryValue(
                        target, "SELECT pg_has_role('" + roles.reader() + "', '" + roles.group() + "', 'MEMBER')"))
                .as("the group role came along with its member")
                .isEqualTo("t");
        assertThat(fresh.queryValue(
                        "postgres",
                        "SELECT bool_and(rolpassword IS NULL) FROM pg_authid WHERE rolname IN ('" + roles.owner()
                                + "', '" + roles.reader() + "')"))
                .isEqualTo("t");
        assertThat(String.join("\n", result.notes()))
                .contains("creates role(s)", roles.owner(), roles.reader(), "without passwords");
    }

    @Test
    void noOwnerGivesEverythingToTheLoginAndSaysWhichGrantsItLeftOut() {
        String id = backup("app");
        String target = PgCluster.uniqueName("target");

        RestoreResult result = service.restore(onto("fresh", id, target).owning(Owners.LOGIN), ctx);

        assertThat(fresh.queryValue(
                        target, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'shop'"))
                .isEqualTo(PgCluster.SUPERUSER);
        assertThat(fresh.queryValue(target, "SELECT count(*) FROM shop.accounts"))
                .isEqualTo("30");
        assertThat(String.join("\n", result.notes()))
                .contains(PgCluster.SUPERUSER, "grants are left out", roles.reader());
        assertThat(roleCount(roles.owner(), roles.reader(), roles.group())).isEqualTo("0");
    }

    @Test
    void createRolesNeedsTheRolesKeptWithTheBackup() {
        String id = backup("plain");
        String target = PgCluster.uniqueName("target");

        assertThatThrownBy(() -> service.restore(onto("fresh", id, target).owning(Owners.CREATE_ROLES), ctx))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("keeps no roles", "globals: roles", roles.owner());
                });
        assertThat(fresh.databaseExists(target)).isFalse();
    }

    @Test
    void aLoginThatCannotGiveObjectsToTheOwnersIsRefusedUnlessItTakesThemItself() {
        String id = backup("app");
        String restorer = PgCluster.uniqueName("restorer");
        pg.execute("postgres", "CREATE ROLE " + restorer + " LOGIN CREATEDB PASSWORD 'restorer-pw'");
        LiveService asRestorer = live.env("LB_RESTORER_PW", "restorer-pw")
                .config(c -> c.database(
                        "restorer",
                        db -> db.host(pg.host())
                                .port(pg.port())
                                .dbname("postgres")
                                .user(restorer)
                                .sslmode("disable")
                                .passwordEnv("LB_RESTORER_PW")));
        String target = PgCluster.uniqueName("target");
        try (BackupService s = asRestorer.open()) {
            assertThatThrownBy(() -> s.restore(onto("restorer", id, target), ctx))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                        assertThat(e.getMessage()).contains(restorer, roles.owner(), "nothing was restored");
                    });
            assertThat(pg.databaseExists(target)).isFalse();

            s.restore(onto("restorer", id, target).owning(Owners.LOGIN), ctx);
        }
        assertThat(pg.queryValue(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'"))
                .isEqualTo(restorer);
        assertThat(pg.queryValue(
                        target, "SELECT has_table_privilege('" + roles.reader() + "', 'shop.accounts', 'SELECT')"))
                .as("the grantee exists here: its grant is kept")
                .isEqualTo("t");
    }

    @Test
    void aReplacePlanSaysWhichRolesItCreatesAndItsTokenIsBoundToThatChoice() {
        String id = backup("app");
        String target = PgCluster.uniqueName("target");
        fresh.execute("postgres", "CREATE DATABASE " + target);
        RestoreRequest replace = new RestoreRequest(id, null, "fresh", target, RestoreMode.REPLACE, null);

        RestorePlan plan = service.planRestore(replace.owning(Owners.CREATE_ROLES));

        assertThat(String.join("\n", plan.warnings())).contains("creates role(s)", roles.owner(), roles.reader());
        assertThatThrownBy(() -> service.restore(
                        replace.withToken(plan.confirmation().token()).owning(Owners.LOGIN), ctx))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED));
        assertThatThrownBy(() -> service.planRestore(replace))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.getMessage()).contains(roles.owner()));

        RestorePlan again = service.planRestore(replace.owning(Owners.CREATE_ROLES));
        service.restore(
                replace.owning(Owners.CREATE_ROLES)
                        .withToken(again.confirmation().token()),
                ctx);

        assertThat(fresh.queryValue(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'"))
                .isEqualTo(roles.owner());
    }

    @Test
    void aFreshServerDrillKeepsTheOwnersCreatesTheKeptRolesAndDropsThemAfterwards() {
        String id = backup("app");

        VerificationReport report = service.verify(id, null, VerifyLevel.RESTORE, Selection.EVERYTHING, true, ctx);

        assertThat(report.passed()).as(report.toString()).isTrue();
        DrillRecord drill = report.drill();
        assertThat(drill.freshServer()).isNotNull();
        assertThat(drill.freshServer().rolesCreated()).contains(roles.owner(), roles.reader(), roles.group());
        assertThat(drill.freshServer().rolesDropped()).isTrue();
        assertThat(drill.drillServer().port()).isEqualTo(fresh.port());
        assertThat(roleCount(roles.owner(), roles.reader(), roles.group())).isEqualTo("0");
        assertThat(service.drills("app", null))
                .first()
                .satisfies(d -> assertThat(d.freshServer()).isEqualTo(drill.freshServer()));
    }

    @Test
    void aFreshServerDrillOfABackupWithoutItsRolesFailsNamingThem() {
        String id = backup("plain");

        VerificationReport report = service.verify(id, null, VerifyLevel.RESTORE, Selection.EVERYTHING, true, ctx);

        assertThat(report.passed()).isFalse();
        assertThat(report.drill().error()).contains("NOT_FOUND", roles.owner(), roles.reader());
        assertThat(report.drill().freshServer()).isNotNull();
    }

    @Test
    void aFreshServerDrillNeedsADrillTargetOnAnotherServer() {
        String id = backup("samehost");

        assertThatThrownBy(() -> service.verify(id, null, VerifyLevel.RESTORE, Selection.EVERYTHING, true, ctx))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("same server");
                });
    }

    private String roleCount(String... names) {
        return fresh.queryValue(
                "postgres", "SELECT count(*) FROM pg_roles WHERE rolname IN ('" + String.join("', '", names) + "')");
    }
}

package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgClusterExtension.class)
class PgClusterIT {
    @Test
    void theClusterAcceptsOnlyScramPasswordLogins(PgCluster pg) {
        assertThat(pg.queryValue(
                        "postgres", "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"))
                .isEqualTo("0");
        assertThat(pg.queryValue("postgres", "SHOW password_encryption")).isEqualTo("scram-sha-256");
        Properties wrong = new Properties();
        wrong.setProperty("user", PgCluster.SUPERUSER);
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/postgres", wrong))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void theServerRunsTheSettingsTestsRelyOnAndItsMajorHasClientTools(PgCluster pg) {
        assertThat(pg.queryValue("postgres", "SHOW autovacuum")).isEqualTo("off");
        assertThat(pg.queryValue("postgres", "SHOW fsync")).isEqualTo("off");
        assertThat(pg.queryValue("postgres", "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
                .isEqualTo("t");
        assertThat(pg.queryValue("postgres", "SELECT current_user")).isEqualTo(PgCluster.SUPERUSER);
        assertThat(Integer.parseInt(pg.queryValue("postgres", "SHOW server_version_num")) / 10000)
                .isEqualTo(pg.majorVersion());
        // an image named explicitly is the server the suite runs against
        String image = System.getProperty(PgCluster.IMAGE_PROPERTY, System.getenv(PgCluster.IMAGE_ENV));
        if (image != null && image.matches("(.*/)?postgres:\\d+.*")) {
            assertThat(pg.isLocal()).isFalse();
            assertThat(pg.majorVersion())
                    .isEqualTo(Integer.parseInt(image.replaceAll("(.*/)?postgres:(\\d+).*", "$2")));
        }
        // Lifeboat and the by-hand tests run local client tools at least as new as the server
        assertThat(pg.clientMajorVersion()).isGreaterThanOrEqualTo(pg.majorVersion());
        assertThat(pg.clientTool("pg_restore")).isExecutable();
        assertThat(pg.clientTool("pg_dump")
                        .getParent()
                        .getParent()
                        .getFileName()
                        .toString())
                .isEqualTo(Integer.toString(pg.clientMajorVersion()));
    }

    @Test
    void fingerprintsSeeEveryTableAndChangeWithTheContent(PgCluster pg) {
        String db = pg.createUniqueDatabase("fixture");
        SampleData.create(pg, db, 10);
        var before = pg.tableFingerprints(db);
        assertThat(before.keySet()).containsExactlyInAnyOrderElementsOf(SampleData.TABLES);
        assertThat(before.values()).allSatisfy(fp -> assertThat(fp.rows()).isEqualTo(10));
        pg.execute(db, "UPDATE public.\"Mixed Case \"\"Table\"\"\" SET \"Weird Col\" = 'changed' WHERE id = 2");
        var after = pg.tableFingerprints(db);
        assertThat(after.get("public.Mixed Case \"Table\"")).isNotEqualTo(before.get("public.Mixed Case \"Table\""));
        assertThat(after.get("public.numbers")).isEqualTo(before.get("public.numbers"));
        pg.dropDatabase(db);
        assertThat(pg.databaseExists(db)).isFalse();
    }
}

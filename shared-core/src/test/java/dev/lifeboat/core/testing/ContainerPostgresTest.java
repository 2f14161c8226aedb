package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The container PgCluster would start, checked without a Docker engine (our CI has none, so the
 * container path itself never runs there): the same server settings as the local cluster, and
 * scram-sha-256 for every connection whatever the image's major.
 */
class ContainerPostgresTest {
    @Test
    void theContainerGetsTheLocalClustersSettingsAndScramOnly() {
        try (PostgreSQLContainer c = ContainerPostgres.container("postgres:13", "pw-canary")) {
            List<String> expected = new ArrayList<>(List.of("postgres"));
            PgCluster.SERVER_SETTINGS.forEach((k, v) -> expected.addAll(List.of("-c", k + "=" + v)));
            assertThat(c.getCommandParts()).containsExactlyElementsOf(expected);
            assertThat(c.getCommandParts()).contains("password_encryption=scram-sha-256", "autovacuum=off");
            assertThat(c.getEnvMap())
                    .containsEntry("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
                    .hasEntrySatisfying(
                            "POSTGRES_INITDB_ARGS",
                            args -> assertThat(args)
                                    .contains("--auth-local=scram-sha-256", "--auth-host=scram-sha-256"));
            assertThat(c.getUsername()).isEqualTo(PgCluster.SUPERUSER);
            assertThat(c.getPassword()).isEqualTo("pw-canary");
            assertThat(c.getDatabaseName()).isEqualTo("postgres");
        }
    }

    @Test
    void anImageFromAnotherRegistryIsAcceptedAsAPostgresImage() {
        // Testcontainers refuses an image it does not know to be compatible with postgres
        try (PostgreSQLContainer c = ContainerPostgres.container("mirror.example/library/postgres:17", "x")) {
            assertThat(c.getUsername()).isEqualTo(PgCluster.SUPERUSER);
        }
    }
}

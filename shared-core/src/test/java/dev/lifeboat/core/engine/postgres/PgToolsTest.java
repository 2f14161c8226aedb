package dev.lifeboat.core.engine.postgres;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.postgres.PgTools.PgTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgToolsTest {
    private static PgTool tool(int major, int minor, String path) {
        return new PgTool("pg_dump", Path.of(path), major, minor, "pg_dump (PostgreSQL) " + major + "." + minor);
    }

    @Test
    void choosesTheNewestToolAtLeastAsNewAsTheServer() {
        List<PgTool> found = List.of(tool(13, 9, "/a"), tool(16, 2, "/b"), tool(15, 4, "/c"), tool(16, 3, "/d"));
        assertThat(PgTools.choose(found, 15)).map(PgTool::path).contains(Path.of("/d"));
        assertThat(PgTools.choose(found, 16)).map(PgTool::path).contains(Path.of("/d"));
        assertThat(PgTools.choose(found, 9)).map(PgTool::path).contains(Path.of("/d"));
    }

    @Test
    void choosesNothingWhenEveryToolIsOlderThanTheServer() {
        assertThat(PgTools.choose(List.of(tool(13, 9, "/a"), tool(15, 4, "/c")), 16))
                .isEmpty();
        assertThat(PgTools.choose(List.of(), 15)).isEmpty();
    }

    @Test
    void tiesGoToTheEarlierCandidate() {
        assertThat(PgTools.choose(List.of(tool(15, 4, "/first"), tool(15, 4, "/second")), 15))
                .map(PgTool::path)
                .contains(Path.of("/first"));
    }

    @Test
    void parsesTheVersionLinesOfRealBuilds() {
        assertThat(PgTools.parse("pg_dump", Path.of("/x"), "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"))
                .get()
                .satisfies(t -> {
                    assertThat(t.major()).isEqualTo(15);
                    assertThat(t.minor()).isEqualTo(20);
                    assertThat(t.versionLine()).isEqualTo("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)");
                });
        assertThat(PgTools.parse("pg_dump", Path.of("/x"), "pg_dump (PostgreSQL) 9.6.24"))
                .get()
                .satisfies(t -> assertThat(t.major()).isEqualTo(9));
        assertThat(PgTools.parse("pg_dump", Path.of("/x"), "pg_dump (PostgreSQL) 17devel"))
                .get()
                .satisfies(t -> assertThat(t.major()).isEqualTo(17));
        assertThat(PgTools.parse("pg_dump", Path.of("/x"), "something else entirely"))
                .isEmpty();
    }

    @Test
    void aConfiguredDirectoryReplacesTheSearchAndNamesItselfWhenEmpty(@TempDir Path dir) {
        PgTools tools = new PgTools(dir, Map.of("PATH", "/usr/bin:/bin"));
        assertThat(tools.find("pg_dump")).isEmpty();
        LifeboatException e = refused(ErrorCode.TOOL_VERSION, () -> tools.pick("pg_dump", 15, "db.example:5432"));
        assertThat(e.getMessage()).contains("no pg_dump found in " + dir);
    }

    @Test
    void theRefusalNamesTheServerAndEveryVersionFound(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.9'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        PgTools tools = new PgTools(dir, Map.of("PATH", "/usr/bin:/bin"));
        Path real = fake.toRealPath();
        LifeboatException e =
                refused(ErrorCode.TOOL_VERSION, () -> tools.pick("pg_dump", 16, "db.example:5432 (version 16.2)"));
        assertThat(e.getMessage())
                .contains("db.example:5432 (version 16.2) runs PostgreSQL 16")
                .contains("pg_dump 13.9 (" + real + ")");
        assertThat(e.hint()).contains("postgresql-client-16");
    }

    @Test
    void aToolsVersionIsLearntOncePerProcessUntilTheBinaryChanges(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path fake = dir.resolve("pg_restore");
        Files.writeString(fake, "#!/bin/sh\necho x >> '" + runs + "'\necho 'pg_restore (PostgreSQL) 15.4'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        // two engines of one process (one per operation) share the answer
        assertThat(new PgTools(dir, Map.of()).pick("pg_restore", 15, null).minor())
                .isEqualTo(4);
        PgTools second = new PgTools(dir, Map.of());
        Thread prefetching = second.prefetch("pg_restore");
        assertThat(second.pick("pg_restore", 15, null).minor()).isEqualTo(4);
        // a loaded machine may start the prefetch late: let it finish before the binary changes
        prefetching.join(30_000);
        assertThat(Files.readAllLines(runs)).hasSize(1);

        // an upgraded binary (another size and time) is asked again
        Files.writeString(fake, "#!/bin/sh\necho x >> '" + runs + "'\necho 'pg_restore (PostgreSQL) 15.10'\n");
        Files.setLastModifiedTime(fake, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(new PgTools(dir, Map.of()).pick("pg_restore", 15, null).minor())
                .isEqualTo(10);
        assertThat(Files.readAllLines(runs)).hasSize(2);
    }

    @Test
    void theVersionProbeGetsOnlyTheAllowListedEnvironment(@TempDir Path dir) throws IOException {
        Path environ = dir.resolve("environ");
        Path fake = dir.resolve("pg_dump");
        Files.writeString(
                fake, "#!/bin/sh\ncat /proc/$$/environ > '" + environ + "'\necho 'pg_dump (PostgreSQL) 15.4'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(Map.of(
                "APP_DB_PASSWORD", "canary-db-password",
                "AWS_SECRET_ACCESS_KEY", "canary-aws",
                "GOOGLE_APPLICATION_CREDENTIALS", "/canary/gcp.json",
                "LIFEBOAT_TEST_CANARY", "canary-lifeboat",
                "PGPASSWORD", "canary-pgpassword"));

        assertThat(new PgTools(dir, env).pick("pg_dump", 15, null).minor()).isEqualTo(4);

        List<String> given = List.of(Files.readString(environ).split("\0"));
        assertThat(given).noneMatch(v -> v.contains("canary"));
        assertThat(given)
                .extracting(v -> v.substring(0, v.indexOf('=')))
                .allMatch(name -> PgClientEnvironment.ALLOWED.contains(name)
                        || PgClientEnvironment.KEPT_PG_VARIABLES.contains(name)
                        || name.equals("LC_MESSAGES"))
                .contains("PATH", "LC_MESSAGES");
    }
}

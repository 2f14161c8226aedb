package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.engine.ServerInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillMarkdownTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static DrillRecord drill(
            ServerInfo server, String scratch, String source, List<DrillRecord.TableResult> rows, String result) {
        return drill(server, scratch, source, rows, result, null);
    }

    /** A drill of the usual sample backup; {@code freshServer} null for one on the usual drill server. */
    private static DrillRecord drill(
            ServerInfo server,
            String scratch,
            String source,
            List<DrillRecord.TableResult> rows,
            String result,
            DrillRecord.FreshServer freshServer) {
        return new DrillRecord(
                1,
                "app-20261122T100000Z-0a1b",
                "app",
                "local",
                "ab".repeat(32),
                2048,
                T,
                T,
                T.plusSeconds(3),
                3000,
                "alice",
                "cli",
                "0.1.0",
                server,
                server,
                scratch,
                true,
                source,
                rows,
                List.of(),
                result,
                null,
                List.of(),
                freshServer);
    }

    @Test
    void aDatabaseDrillShowsServersScratchDatabaseAndTableDigests() {
        ServerInfo pg = new ServerInfo("db.internal", 5432, "app", "backup", "15.19", 15);
        String md = DrillMarkdown.render(drill(
                pg,
                "lifeboat_drill_1",
                "manifest (exact counts)",
                List.of(
                        new DrillRecord.TableResult("public.accounts", 10, 10, "d1", "d1", true),
                        new DrillRecord.TableResult("public.audit", 3, 3, null, null, true)),
                "PASS"));
        assertThat(md)
                .startsWith("# Restore drill: PASS")
                .contains("| Drill server | db.internal:5432 (PostgreSQL 15.19) |")
                .contains("| Scratch database | `lifeboat_drill_1`, dropped afterwards |")
                .contains("## Tables")
                .contains("| `public.accounts` | 10 | 10 | equal | pass |")
                .contains("| `public.audit` | 3 | 3 | not compared | pass |");
    }

    @Test
    void aFreshServerDrillSaysTheOwnersWereKeptAndWhichRolesItCreated() {
        ServerInfo pg = new ServerInfo("scratch.internal", 5432, "postgres", "postgres", "15.19", 15);
        DrillRecord d = drill(pg, "lifeboat_drill_2", "archive", List.of(), "PASS");
        DrillRecord fresh = drill(
                pg,
                "lifeboat_drill_2",
                "archive",
                List.of(),
                "PASS",
                new DrillRecord.FreshServer(List.of("app_owner", "app_reader"), true));

        assertThat(DrillMarkdown.render(fresh))
                .contains(
                        "| Fresh server | owners kept; roles created there: app_owner, app_reader, dropped afterwards |");
        assertThat(HumanText.drill(fresh))
                .contains("fresh server, owners kept")
                .contains("roles created there: app_owner, app_reader (dropped again)");
        assertThat(DrillMarkdown.render(d)).doesNotContain("Fresh server");
    }

    @Test
    void aDirectoryDrillShowsItsScratchDirectoryAndEntryCountsWithoutServers() {
        String md = DrillMarkdown.render(drill(
                null,
                "/var/lib/lifeboat/drill-uploads-1",
                "manifest (directory contents)",
                List.of(
                        new DrillRecord.TableResult("files", 12, 12, null, null, true),
                        new DrillRecord.TableResult("symlinks", 1, 0, null, null, false)),
                "FAIL"));
        assertThat(md)
                .startsWith("# Restore drill: FAIL")
                .contains("| Scratch directory | `/var/lib/lifeboat/drill-uploads-1`, removed afterwards |")
                .contains("## Contents")
                .contains("| `files` | 12 | 12 | not compared | pass |")
                .contains("| `symlinks` | 1 | 0 | not compared | FAIL |")
                .doesNotContain("Scratch database")
                .doesNotContain("Drill server")
                .doesNotContain("DIFFERS");
    }
}

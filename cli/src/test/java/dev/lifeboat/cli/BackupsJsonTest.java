package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.FilledRecords;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code backup list --json} and {@code backup create --json} by {@link BackupsJson} are the documents Jackson wrote, byte for byte. */
class BackupsJsonTest {
    private static String jackson(List<BackupRecord> items, Integer extra) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        new Output(w, w, true).resultList("backups", items, () -> "text", "leftovers", extra);
        return s.toString();
    }

    private static String fast(List<BackupRecord> items, Integer extra) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        new Output(w, w, true).backupList("backups", items, () -> "text", "leftovers", extra);
        return s.toString();
    }

    private static void same(List<BackupRecord> items) {
        for (Integer extra : new Integer[] {null, 3}) {
            String expected = jackson(items, extra);
            assertThat(fast(items, extra)).isEqualTo(expected);
        }
        for (BackupRecord item : items) { // the single document of backup create --json
            assertThat(BackupsJson.one(item)).isEqualTo(Json.write(item));
        }
    }

    private static BackupRecord sample(String id, SampleManifest m) {
        return new BackupRecord("local", m.build());
    }

    private static SampleManifest of(String id) {
        return SampleManifest.of(BackupId.parse(id));
    }

    @Test
    void anEmptyListingIsTheSame() {
        same(List.of());
    }

    @Test
    void manifestsWithEveryFieldSetAreTheSame() {
        FilledRecords filled = new FilledRecords();
        List<BackupRecord> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            items.add(new BackupRecord("store " + i, filled.of(Manifest.class)));
        }
        assertThat(items.get(0).manifest().roles()).isNotNull();
        same(items);
        same(List.of(items.get(0)));
    }

    @Test
    void everyControlCharacterAndOddTextIsEscapedTheSame() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("é ✓ \u2028 \uD83D\uDE00 \uD800 /");
        same(List.of(sample(
                "app-20260101T000000Z-0001",
                of("app-20260101T000000Z-0001")
                        .label(all.toString())
                        .tags(Map.of(all.toString(), "v", "k", all.toString())))));
    }

    @Test
    void sparseAndDirectoryManifestsAreTheSame() {
        Manifest.DirectoryContents contents =
                new Manifest.DirectoryContents("/srv/data", 10, 7, 2, 1, 12345, 0, 1, List.of("*.tmp"), 4);
        same(List.of(
                sample("app-20260101T000000Z-0001", of("app-20260101T000000Z-0001")),
                sample(
                        "app-20260101T000000Z-0002",
                        of("app-20260101T000000Z-0002")
                                .label("nightly")
                                .tags(Map.of("env", "prod", "team", "db"))
                                .tables(
                                        new TableSummary("public", "t", 3, false),
                                        new TableSummary("s", "u", 0, true))),
                sample(
                        "files-20260101T000000Z-0003",
                        of("files-20260101T000000Z-0003").directory(contents))));
    }

    @Test
    void whatTheRedactorMasksIsMaskedTheSame() {
        String secret = "BackupsJsonTest-s3cr3t";
        Redactor.global().register(secret);
        List<BackupRecord> items = List.of(
                sample(
                        "app-20260101T000000Z-0001",
                        of("app-20260101T000000Z-0001").label("uses " + secret)),
                sample(
                        "app-20260101T000000Z-0002",
                        of("app-20260101T000000Z-0002")
                                .tags(Map.of("password", "hunter2", "url", "postgres://me:pw@db/app"))),
                sample(
                        "app-20260101T000000Z-0003",
                        of("app-20260101T000000Z-0003")
                                .label("token \bearer abcdefgh12345 and AGE-SECRET-KEY-1QQQQQQ")),
                sample(
                        "app-20260101T000000Z-0004",
                        of("app-20260101T000000Z-0004").label("plain")));
        String out = fast(items, null);
        assertThat(out)
                .doesNotContain(secret)
                .doesNotContain("hunter2")
                .doesNotContain(":pw@")
                .contains("\"label\" : \"plain\"");
        same(items);
    }
}

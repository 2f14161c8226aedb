package dev.lifeboat.core.catalog;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupIdTest {

    @Test
    void generatedIdsNameTheirDatabaseAndTimeAndParseBack() {
        Instant t = Instant.parse("2026-11-22T07:12:00Z");
        BackupId id = BackupId.generate("app", t);
        assertThat(id.value()).matches("app-20261122T071200Z-[0-9a-f]{4}");
        BackupId back = BackupId.parse(id.value());
        assertThat(back.database()).isEqualTo("app");
        assertThat(back.createdAt()).isEqualTo(t);
    }

    @Test
    void databaseNamesWithDashesStillParse() {
        BackupId id = BackupId.parse("my-app-db-20261122T071200Z-3f9a");
        assertThat(id.database()).isEqualTo("my-app-db");
    }

    @Test
    void idsSortByTimeWithinADatabase() {
        BackupId a = BackupId.generate("app", Instant.parse("2026-01-01T00:00:00Z"));
        BackupId b = BackupId.generate("app", Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(a).isLessThan(b);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "..",
                "../etc/passwd",
                "app/20261122T071200Z-3f9a",
                "/abs/app-20261122T071200Z-3f9a",
                "app-20261122T071200Z-3f9a/..",
                "app-20261122T071200Z-3f9a\u0000",
                "APP-20261122T071200Z-3f9a",
                "app-20261122T071200Z-3F9A",
                "app-20261122T071200-3f9a",
                "app-20261399T071200Z-3f9a",
                "app-20261122T071200Z-3f9a ",
                "-20261122T071200Z-3f9a",
            })
    void malformedIdsAreRejectedAsInvalid(String text) {
        assertThat(refused(ErrorCode.INVALID_ARGUMENT, () -> BackupId.parse(text)))
                .hasMessageStartingWith("invalid backup id");
    }

    @Test
    void overLongAndNullIdsAreRejected() {
        assertThatThrownBy(() -> BackupId.parse("a".repeat(60) + "-20261122T071200Z-3f9a"))
                .hasMessageStartingWith("invalid backup id");
        assertThatThrownBy(() -> BackupId.parse(null)).hasMessageStartingWith("invalid backup id");
    }

    @Test
    void theMessageNeverEchoesControlCharacters() {
        assertThatThrownBy(() -> BackupId.parse("x\u001b[31m"))
                .hasMessageNotContaining("\u001b")
                .hasMessageContaining("x?[31m");
    }

    @Test
    void theTimeOfAnIdIsWhatTheStampFormatterMakesOfItForEveryKindOfDate() {
        java.time.format.DateTimeFormatter stamp = java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        int checked = 0;
        for (int year : new int[] {0, 1970, 2000, 2024, 2026, 2100, 9999}) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    for (String time : new String[] {"000000", "235959", "240000", "236000", "235960", "120000"}) {
                        String ts = String.format("%04d%02d%02dT%sZ", year, month, day, time);
                        String id = "app-" + ts + "-00ff";
                        java.time.Instant expected;
                        try {
                            expected = stamp.parse(ts, java.time.Instant::from);
                        } catch (RuntimeException e) {
                            expected = null;
                        }
                        if (expected == null) {
                            assertThatThrownBy(() -> BackupId.parse(id))
                                    .as(id)
                                    .isInstanceOf(dev.lifeboat.core.base.LifeboatException.class);
                        } else {
                            assertThat(BackupId.parse(id).createdAt()).as(id).isEqualTo(expected);
                        }
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(7 * 14 * 33 * 6);
    }
}

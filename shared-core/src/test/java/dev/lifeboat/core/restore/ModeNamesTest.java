package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.verify.VerifyLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Modes and levels appear in JSON output by the lower-case names the docs and the tools' schemas use. */
class ModeNamesTest {
    @Test
    void restoreModesAndVerifyLevelsAreWrittenAndReadLowerCase() {
        assertThat(Json.mapper().writeValueAsString(Map.of("mode", RestoreMode.CLEAN, "level", VerifyLevel.ARCHIVE)))
                .contains("\"mode\":\"clean\"", "\"level\":\"archive\"");
        assertThat(Json.mapper().readValue("\"create\"", RestoreMode.class)).isEqualTo(RestoreMode.CREATE);
        assertThat(Json.mapper().readValue("\"restore\"", VerifyLevel.class)).isEqualTo(VerifyLevel.RESTORE);
    }
}

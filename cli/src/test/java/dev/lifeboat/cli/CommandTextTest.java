package dev.lifeboat.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandTextTest {
    @Test
    void quotesOnlyWordsTheShellWouldSplitOrExpand() {
        String text = new CommandText("lifeboat", "restore", "app-20261122T071200Z-3f9a")
                .option("--config", "/my configs/it's.yaml")
                .option("--store", null)
                .flag("--clean", true)
                .flag("--json", false)
                .option("--confirm", "v1.abc_DEF-123=")
                .toString();
        assertThat(text)
                .isEqualTo("lifeboat restore app-20261122T071200Z-3f9a --config '/my configs/it'\\''s.yaml'"
                        + " --clean --confirm v1.abc_DEF-123=");
    }
}

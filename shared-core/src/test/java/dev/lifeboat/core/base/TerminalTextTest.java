package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlAndFormatCharactersAreEscapedAndTheRestIsKept() {
        assertThat(TerminalText.clean("plain text, ünïcode, 日本")).isEqualTo("plain text, ünïcode, 日本");
        assertThat(TerminalText.clean("a\nb\tc")).isEqualTo("a\nb\tc");
        assertThat(TerminalText.clean("\u001b[2J\u009b\u0000")).isEqualTo("\\u001b[2J\\u009b\\u0000");
        assertThat(TerminalText.clean("\u202efdp.exe\u2066\u200b\u2028"))
                .isEqualTo("\\u202efdp.exe\\u2066\\u200b\\u2028");
        assertThat(TerminalText.clean(null)).isNull();
    }
}

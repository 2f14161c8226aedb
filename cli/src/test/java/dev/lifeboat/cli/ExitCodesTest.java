package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void everyErrorCodeHasItsOwnNonZeroExitCode() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            int exit = ExitCodes.of(code);
            assertThat(exit).as(code.name()).isNotZero();
            assertThat(seen.add(exit))
                    .as("exit code %d of %s is shared", exit, code)
                    .isTrue();
        }
    }

    @Test
    void usageErrorsAndCancellationUseTheConventionalCodes() {
        assertThat(ExitCodes.of(ErrorCode.INVALID_ARGUMENT)).isEqualTo(2);
        assertThat(ExitCodes.of(ErrorCode.CANCELLED)).isEqualTo(130);
        assertThat(ExitCodes.of(ErrorCode.INTERNAL)).isEqualTo(1);
    }

    @Test
    void helpTableNamesEveryErrorCodeWithItsExitCode() {
        for (ErrorCode code : ErrorCode.values()) {
            String meaning = ExitCodes.table().get(String.valueOf(ExitCodes.of(code)));
            assertThat(meaning).as(code.name()).contains("(" + code.name() + ")");
        }
    }

    @Test
    void docsListTheSameTable() throws IOException {
        Path doc = Path.of("..", "docs", "cli.md");
        String text = Files.readString(doc);
        for (var row : ExitCodes.table().entrySet()) {
            String code = row.getValue().replaceAll(".*\\((\\w+)\\)$", "$1");
            String expected = row.getKey().equals("0") ? "| 0 |" : "| " + row.getKey() + " | `" + code + "` |";
            assertThat(text).as("docs/cli.md row for exit code " + row.getKey()).contains(expected);
        }
    }
}

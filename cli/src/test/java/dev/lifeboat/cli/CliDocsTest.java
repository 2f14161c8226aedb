package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command a user can run is described in docs/cli.md, and every command's help prints. */
class CliDocsTest {
    private static List<String> leafCommands() {
        CommandLine root = LifeboatCommand.commandLine(
                new CliEnvironment(Map.of(), Terminal.NONE, new CancelSignal(), "t"), new String[0]);
        List<String> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(CommandLine cmd, String path, List<String> out) {
        for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            String p = path.isEmpty() ? sub.getKey() : path + " " + sub.getKey();
            if (sub.getValue().getSubcommands().isEmpty()) {
                out.add(p);
            } else {
                collect(sub.getValue(), p, out);
            }
        }
    }

    @Test
    void everyCommandIsDescribedInTheCliDocs() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "cli.md"));
        List<String> missing = leafCommands().stream()
                .filter(c -> !doc.contains("lifeboat " + c))
                .toList();
        assertThat(missing)
                .as("commands docs/cli.md never shows as `lifeboat COMMAND`")
                .isEmpty();
    }

    @Test
    void theScheduleCommandsAreListedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String c : leafCommands()) {
            if (c.startsWith("schedule ")) {
                assertThat(readme).as("README's command table row for " + c).contains("`lifeboat " + c);
            }
        }
    }
}

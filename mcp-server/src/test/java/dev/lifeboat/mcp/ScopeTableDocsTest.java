package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/mcp.md's scope table names every tool under the scope the tool asks for. */
class ScopeTableDocsTest {
    @TempDir
    Path dir;

    @Test
    void theScopeTableListsEveryToolUnderItsScope() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "mcp.md"));
        try (Fixture f = new Fixture(dir)) {
            for (LifeboatTool tool : Tools.all(f.service)) {
                String name = tool.definition().name();
                String scope = tool.scope(Map.of()).id();
                assertThat(doc)
                        .as("docs/mcp.md scope table row for %s (%s)", name, scope)
                        .containsPattern("(?m)^\\| `" + scope + "` \\|[^\\n]*`" + name + "`");
            }
        }
    }
}

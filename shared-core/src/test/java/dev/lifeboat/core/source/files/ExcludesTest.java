package dev.lifeboat.core.source.files;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExcludesTest {
    @TempDir
    Path base;

    @Test
    void anchoredPatternsMatchFromTheRootAndBareOnesMatchANameAtAnyDepth() {
        Excludes x = Excludes.of(List.of("cache/**", "*.tmp", "node_modules/", "./logs/*.log"));
        assertThat(x.excludes(Path.of("cache/a"), false)).isTrue();
        assertThat(x.excludes(Path.of("cache/a/b/c"), true)).isTrue();
        assertThat(x.excludes(Path.of("cache"), true)).isFalse(); // the empty directory stays
        assertThat(x.excludes(Path.of("deep/cache/a"), false)).isFalse();
        assertThat(x.excludes(Path.of("x.tmp"), false)).isTrue();
        assertThat(x.excludes(Path.of("a/b/x.tmp"), false)).isTrue();
        assertThat(x.excludes(Path.of("a/x.tmpl"), false)).isFalse();
        assertThat(x.excludes(Path.of("web/node_modules"), true)).isTrue();
        assertThat(x.excludes(Path.of("web/node_modules"), false)).isFalse(); // directories only
        assertThat(x.excludes(Path.of("logs/app.log"), false)).isTrue();
        assertThat(x.excludes(Path.of("logs/old/app.log"), false)).isFalse();
        assertThat(Excludes.NONE.excludes(Path.of("anything"), false)).isFalse();
    }

    @Test
    void badPatternsAreRefusedNamingThePattern() {
        assertThat(Excludes.problem("[abc")).get().asString().contains("not a valid glob pattern");
        assertThat(Excludes.problem("/abs")).get().asString().contains("relative");
        assertThat(Excludes.problem("a/../b")).get().asString().contains("'..'");
        assertThat(Excludes.problem("a//b")).isPresent();
        assertThat(Excludes.problem(" ")).isPresent();
        assertThat(Excludes.problem("./")).isPresent();
        assertThat(Excludes.problem("{a,b}/**")).isEmpty();
        LifeboatException e = refused(ErrorCode.INVALID_ARGUMENT, () -> Excludes.of(List.of("ok", "{unclosed")));
        assertThat(e.getMessage()).contains("'{unclosed'");
    }

    @Test
    void theArchiverLeavesExcludedEntriesOutAndNeverReadsAnExcludedDirectory() throws Exception {
        Path root = Files.createDirectories(base.resolve("src"));
        Files.createDirectories(root.resolve("cache/sub"));
        Files.writeString(root.resolve("cache/sub/blob"), "cached");
        Files.writeString(root.resolve("cache/top"), "cached");
        Files.writeString(root.resolve("keep.txt"), "keep");
        Files.writeString(root.resolve("scratch.tmp"), "tmp");
        Files.createDirectories(root.resolve("a/node_modules/pkg"));
        Files.writeString(root.resolve("a/node_modules/pkg/index.js"), "js");
        Files.writeString(root.resolve("a/b.tmp"), "tmp");
        Files.writeString(root.resolve("a/c.txt"), "c");
        // a FIFO would be listed as skipped if the archiver looked inside the excluded directory
        Process fifo = new ProcessBuilder(
                        "mkfifo", root.resolve("a/node_modules/pkg/pipe").toString())
                .inheritIO()
                .start();
        assertThat(fifo.waitFor(10, TimeUnit.SECONDS) && fifo.exitValue() == 0).isTrue();

        TarArchiver archiver = TarArchiver.of(root, Excludes.of(List.of("cache/**", "*.tmp", "node_modules/")));
        byte[] tar = archiver.readAllBytes();
        TarArchiver.Summary s = archiver.summary();
        assertThat(s.excluded()).isEqualTo(5); // cache/sub, cache/top, scratch.tmp, a/b.tmp, a/node_modules
        assertThat(s.files()).isEqualTo(2);
        assertThat(s.directories()).isEqualTo(3); // ./, a, cache (kept, empty)
        assertThat(s.skipped()).isEmpty();

        Path out = base.resolve("out");
        SafeExtractor.extract(new ByteArrayInputStream(tar), out, SafeExtractor.Mode.INTO_EMPTY);
        try (Stream<Path> walk = Files.walk(out)) {
            assertThat(walk.map(p -> out.relativize(p).toString()).sorted())
                    .containsExactly("", "a", "a/c.txt", "cache", "keep.txt");
        }
    }
}

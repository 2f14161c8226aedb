package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsWrittenOwnerOnlyAndReplacedWholeLeavingNothingBeside() throws IOException {
        Path f = dir.resolve("state.json");
        PrivateFiles.write(f, bytes("one"), false);
        PrivateFiles.write(f, bytes("two"), false);
        assertThat(Files.readString(f)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void createOnlyRefusesAnExistingFileAndKeepsIt() throws IOException {
        Path f = dir.resolve("key");
        PrivateFiles.write(f, bytes("first"), true);
        assertThatThrownBy(() -> PrivateFiles.write(f, bytes("second"), true))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(f)).isEqualTo("first");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void itsTemporaryFilesCarryThePidThatGcJudgesThemBy() throws IOException {
        String prefix = StaleFiles.privateTemps(dir).namePrefix();
        assertThat(prefix).isEqualTo(".lifeboat-" + ProcessHandle.current().pid() + "-");
        Path f = dir.resolve("state.json");
        // a temporary file of this process is never stale while it runs
        Files.writeString(dir.resolve(prefix + "state.json-1.tmp"), "{");
        assertThat(StaleFiles.privateTemps(dir).list()).isEmpty();
        PrivateFiles.write(f, bytes("one"), false);
        assertThat(Files.readString(f)).isEqualTo("one");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

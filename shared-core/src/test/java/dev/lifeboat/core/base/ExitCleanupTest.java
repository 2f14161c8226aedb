package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCleanupTest {
    @TempDir
    Path dir;

    @Test
    void registeredFilesAreDeletedAtExitAndForgottenOnesAreLeftAlone() throws Exception {
        Path spool = Files.writeString(dir.resolve("app-1.dump"), "decrypted dump");
        Path handedOn = Files.writeString(dir.resolve("kept"), "not ours any more");
        ExitCleanup.register(spool);
        ExitCleanup.register(handedOn);
        ExitCleanup.forget(handedOn);

        ExitCleanup.deleteAll(); // what the shutdown hook runs

        assertThat(spool).doesNotExist();
        assertThat(handedOn).exists();
        assertThat(ExitCleanup.registered(handedOn)).isFalse();
    }
}

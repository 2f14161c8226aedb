package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCleanupTest {
    @TempDir
    Path dir;

    @Test
    void registeredFilesAreDeletedAtExitAndForgottenOnesAreLeftAlone() throws Exception {
        ExitCleanup cleanup = new ExitCleanup();
        Path spool = Files.writeString(dir.resolve("app-1.dump"), "decrypted dump");
        Path handedOn = Files.writeString(dir.resolve("kept"), "not ours any more");
        cleanup.add(spool);
        cleanup.add(handedOn);
        cleanup.remove(handedOn);

        cleanup.deleteAll(); // what the shutdown hook runs

        assertThat(spool).doesNotExist();
        assertThat(handedOn).exists();
        assertThat(cleanup.registered(handedOn)).isFalse();
    }

    @Test
    void aFileRegisteredAfterExitBeganIsDeletedAndTheOperationIsCancelled() throws Exception {
        ExitCleanup cleanup = new ExitCleanup();
        cleanup.deleteAll(); // Ctrl-C: the hook ran before the passfile was written
        Path passfile = Files.writeString(dir.resolve("pgpass-1"), "*:*:*:*:secret\n");

        assertThatThrownBy(() -> cleanup.add(passfile))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(passfile).doesNotExist();
        assertThat(cleanup.registered(passfile)).isFalse();
    }
}

package dev.lifeboat.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.InteropTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who lost Lifeboat still has the {@code age} CLI: what we encrypt, {@code age -d} decrypts, and
 * what {@code age} encrypts to our recipient, we decrypt. Needs Debian's {@code age} ({@code .ci/run}
 * installs it); skipped with a message when it is missing, failed instead when
 * {@code LIFEBOAT_INTEROP_REQUIRED=1} ({@link InteropTools}).
 */
class AgeCliInteropIT {
    @TempDir
    static Path dir;

    static Path keyFile;
    static String recipient;

    @BeforeEach
    void ageKeygen() throws Exception {
        // per test, not in @BeforeAll: a class-level skip is not counted as skipped in the test reports
        InteropTools.assumeInstalled("age-keygen", "age");
        InteropTools.assumeInstalled("age", "age");
        if (keyFile != null) {
            return;
        }
        keyFile = dir.resolve("key.txt");
        run(List.of("age-keygen", "-o", keyFile.toString()), null);
        recipient = run(List.of("age-keygen", "-y", keyFile.toString()), null).strip();
        assertThat(recipient).startsWith("age1");
    }

    @Test
    void theAgeCliDecryptsWhatLifeboatEncrypted() throws Exception {
        byte[] plain = EncryptionTest.random(3 * 1024 * 1024 + 17, 11);
        Path cipher = dir.resolve("lifeboat.age");
        try (InputStream in = Encryption.to(AgeRecipients.of(recipient, "recipients"))
                .encrypting(new java.io.ByteArrayInputStream(plain))) {
            Files.copy(in, cipher);
        }
        Path out = dir.resolve("by-age.bin");
        run(List.of("age", "-d", "-i", keyFile.toString(), "-o", out.toString(), cipher.toString()), null);
        assertThat(Files.readAllBytes(out)).isEqualTo(plain);
    }

    @Test
    void lifeboatDecryptsWhatTheAgeCliEncrypted() throws Exception {
        byte[] plain = EncryptionTest.random(2 * 1024 * 1024 + 5, 12);
        Path in = dir.resolve("plain.bin");
        Files.write(in, plain);
        Path cipher = dir.resolve("by-age.age");
        run(List.of("age", "-r", recipient, "-o", cipher.toString(), in.toString()), null);

        AgeIdentity identity = AgeIdentity.fromFile(keyFile, "identity_file");
        assertThat(identity.recipients()).containsExactly(recipient);
        try (InputStream decrypted = Encryption.decrypting(Files.newInputStream(cipher), identity, List.of())) {
            assertThat(decrypted.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void theAgeCliReadsAnIdentityFileLifeboatWrote() throws Exception {
        AgeIdentity generated = AgeIdentity.generate();
        Path written = dir.resolve("lifeboat-key.txt");
        generated.writeTo(written);
        String derived =
                run(List.of("age-keygen", "-y", written.toString()), null).strip();
        assertThat(derived).isEqualTo(generated.recipients().get(0));
    }

    private static String run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            if (stdin != null) {
                o.write(stdin);
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
        return out;
    }
}

package dev.lifeboat.core.crypto;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncryptionTest {
    private static final AgeIdentity ALICE = AgeIdentity.generate();
    private static final AgeIdentity BOB = AgeIdentity.generate();

    @TempDir
    Path dir;

    @Test
    void multiMegabyteRandomDataSurvivesARoundTrip() throws IOException {
        byte[] plain = random(8 * 1024 * 1024 + 12345, 1);
        byte[] cipher = encrypt(plain, recipients(ALICE));

        assertThat(new String(cipher, 0, Encryption.MAGIC.length(), StandardCharsets.US_ASCII))
                .isEqualTo(Encryption.MAGIC);
        assertThat(Encryption.hasAgeMagic(cipher)).isTrue();
        assertThat(decrypt(cipher, ALICE)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 3 * 65536})
    void sizesAroundChunkBoundariesSurviveARoundTrip(int size) throws IOException {
        byte[] plain = random(size, size);
        byte[] cipher = encrypt(plain, recipients(ALICE));
        // age: 64 KiB chunks, each with a 16-byte tag, and an empty payload is still one chunk
        int chunks = Math.max(1, (size + 65535) / 65536);
        assertThat(cipher.length - size - 16L * chunks).isBetween(100L, 300L);
        assertThat(decrypt(cipher, ALICE)).isEqualTo(plain);
    }

    @Test
    void byteAtATimeReadsWorkBothWays() throws IOException {
        byte[] plain = random(70_000, 7);
        ByteArrayOutputStream cipher = new ByteArrayOutputStream();
        try (InputStream in = Encryption.to(recipients(ALICE)).encrypting(new ByteArrayInputStream(plain))) {
            int b;
            while ((b = in.read()) != -1) {
                cipher.write(b);
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = Encryption.decrypting(new ByteArrayInputStream(cipher.toByteArray()), ALICE, List.of())) {
            int b;
            while ((b = in.read()) != -1) {
                back.write(b);
            }
        }
        assertThat(back.toByteArray()).isEqualTo(plain);
    }

    @Test
    void encryptionStreamsWithoutReadingThePlaintextAhead() throws IOException {
        AtomicLong consumed = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                consumed.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                consumed.addAndGet(len);
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        try (InputStream in = Encryption.to(recipients(ALICE)).encrypting(endless)) {
            byte[] buf = new byte[8192];
            long out = 0;
            long maxAhead = 0;
            while (out < 2L * 1024 * 1024) {
                out += in.read(buf);
                maxAhead = Math.max(maxAhead, consumed.get() - out);
            }
            // never more than about one chunk ahead of what was handed out: memory stays flat
            assertThat(maxAhead).isLessThan(3 * 65536);
        }
    }

    @Test
    void anyOfSeveralRecipientsCanDecrypt() throws IOException {
        byte[] plain = random(200_000, 3);
        byte[] cipher = encrypt(
                plain,
                AgeRecipients.parse(
                        List.of(ALICE.recipients().get(0), BOB.recipients().get(0)), "r"));
        assertThat(decrypt(cipher, ALICE)).isEqualTo(plain);
        assertThat(decrypt(cipher, BOB)).isEqualTo(plain);
    }

    @Test
    void aWrongIdentityIsAKeyErrorNamingTheExpectedRecipients() {
        byte[] cipher = encrypt(random(1000, 4), recipients(ALICE));
        String alice = ALICE.recipients().get(0);
        String bob = BOB.recipients().get(0);

        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> decrypt(cipher, BOB, List.of(alice)));
        assertThat(e.getMessage()).contains("cannot decrypt", alice, bob);
        assertThat(e.hint()).contains("identity_file");
    }

    @Test
    void anIdentityFileWithSeveralKeysFindsTheOneThatFits() throws IOException {
        byte[] plain = random(5000, 5);
        byte[] cipher = encrypt(plain, recipients(BOB));
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "# two keys\n" + secretOf(ALICE) + "\n\n" + secretOf(BOB) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AgeIdentity both = AgeIdentity.fromFile(file, "identity_file");

        assertThat(both.recipients())
                .containsExactly(ALICE.recipients().get(0), BOB.recipients().get(0));
        assertThat(decrypt(cipher, both)).isEqualTo(plain);

        byte[] forSomeoneElse = encrypt(plain, recipients(AgeIdentity.generate()));
        refused(ErrorCode.CONFIG_INVALID, () -> decrypt(forSomeoneElse, both));
    }

    @Test
    void damagedCiphertextIsAnIntegrityFailureNotAKeyError() {
        byte[] plain = random(300_000, 6);
        byte[] cipher = encrypt(plain, recipients(ALICE));
        byte[] flipped = cipher.clone();
        flipped[cipher.length - 70_000] ^= 1;
        assertIntegrityFailure(() -> decrypt(flipped, ALICE));

        byte[] truncated = java.util.Arrays.copyOf(cipher, cipher.length - 65552);
        assertIntegrityFailure(() -> decrypt(truncated, ALICE));

        byte[] headerDamaged = cipher.clone();
        // inside the header MAC line ("--- <base64>"), after the recipient stanza
        int mac = new String(cipher, 0, 400, StandardCharsets.ISO_8859_1).indexOf("\n--- ") + 6;
        headerDamaged[mac] = (byte) (headerDamaged[mac] == 'A' ? 'B' : 'A');
        assertIntegrityFailure(() -> decrypt(headerDamaged, ALICE));
    }

    @Test
    void plainBytesAreNotMistakenForAnAgeFile() {
        byte[] pgdump = "PGDMP\u0001\u000e\u0000 and more".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Encryption.hasAgeMagic(pgdump)).isFalse();
        assertIntegrityFailure(() -> decrypt(pgdump, ALICE));
        assertIntegrityFailure(() -> decrypt(new byte[0], ALICE));
    }

    @Test
    void malformedRecipientsAreNamedWithTheirSetting() {
        String good = ALICE.recipients().get(0);
        String badChecksum = good.substring(0, 61) + (good.charAt(61) == 'q' ? 'p' : 'q');
        LifeboatException e = refused(
                ErrorCode.CONFIG_INVALID,
                () -> AgeRecipients.parse(List.of(good, badChecksum), "stores.s3.encryption.recipients"));
        assertThat(e.getMessage())
                .contains("stores.s3.encryption.recipients[1]", badChecksum)
                .doesNotContain("recipients[0]");
        assertRecipientRejected("age1short", "62");
        assertRecipientRejected("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG", "SSH");
        assertRecipientRejected("age1yubikey1qwerty", "plugin");
        assertRecipientRejected("npub1xyz", "age1");
        assertRecipientRejected(" ", "empty");
        assertThatThrownBy(() -> AgeRecipients.parse(List.of(), "stores.s3.encryption.recipients"))
                .hasMessageContaining("at least one");
    }

    @Test
    void recipientsAreTrimmedAndDeduplicated() {
        String a = ALICE.recipients().get(0);
        AgeRecipients r =
                AgeRecipients.parse(List.of(" " + a + " ", a, BOB.recipients().get(0)), "r");
        assertThat(r.keys()).containsExactly(a, BOB.recipients().get(0));
    }

    @Test
    void identityFilesInAgeKeygenFormatAreRead() {
        Path file = dir.resolve("key.txt");
        ALICE.writeTo(file);
        AgeIdentity read = AgeIdentity.fromFile(file, "stores.s3.encryption.identity_file");
        assertThat(read.recipients()).isEqualTo(ALICE.recipients());
        assertThat(read.source()).contains("stores.s3.encryption.identity_file", file.toString());
    }

    @Test
    void identityFilesReadableByOthersAreRefused() throws IOException {
        Path file = dir.resolve("key.txt");
        ALICE.writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> AgeIdentity.fromFile(file, "identity_file"));
        assertThat(e.getMessage()).contains("identity_file", "accessible by others");
        assertThat(e.hint()).contains("chmod 600");
    }

    @Test
    void missingOrUnusableIdentitiesAreNamed() throws IOException {
        assertThatThrownBy(() -> AgeIdentity.fromFile(dir.resolve("nope.txt"), "identity_file"))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AgeIdentity.fromEnvironment("LIFEBOAT_AGE_KEY", Map.of(), "identity_env"))
                .hasMessageContaining("LIFEBOAT_AGE_KEY is not set");

        Path empty = ownerOnly("empty.txt", "# nothing here\n");
        assertThatThrownBy(() -> AgeIdentity.fromFile(empty, "identity_file"))
                .hasMessageContaining("no age secret key");
        Path plugin = ownerOnly("plugin.txt", "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n");
        assertThatThrownBy(() -> AgeIdentity.fromFile(plugin, "identity_file"))
                .hasMessageContaining("line 1 is an age plugin identity");
        Path recipientInstead = ownerOnly("pub.txt", ALICE.recipients().get(0) + "\n");
        assertThatThrownBy(() -> AgeIdentity.fromFile(recipientInstead, "identity_file"))
                .hasMessageContaining("line 1 is neither a comment nor an age secret key");
    }

    @Test
    void identitiesComeFromTheEnvironment() throws IOException {
        byte[] plain = random(1000, 8);
        AgeIdentity fromEnv = AgeIdentity.fromEnvironment(
                "LIFEBOAT_AGE_KEY", Map.of("LIFEBOAT_AGE_KEY", secretOf(BOB)), "identity_env");
        assertThat(fromEnv.recipients()).isEqualTo(BOB.recipients());
        assertThat(fromEnv.source()).contains("$LIFEBOAT_AGE_KEY");
        assertThat(decrypt(encrypt(plain, recipients(BOB)), fromEnv)).isEqualTo(plain);
    }

    @Test
    void theSecretKeyNeverAppearsInAnyMessage() throws IOException {
        // a canary key (and a mangled copy): no message, hint, cause or stack trace may carry either
        AgeIdentity canary = AgeIdentity.generate();
        Path good = dir.resolve("canary.txt");
        canary.writeTo(good);
        String secret = Files.readAllLines(good).stream()
                .filter(l -> l.startsWith("AGE-SECRET-KEY-1"))
                .findFirst()
                .orElseThrow();
        String mangled = secret.substring(0, secret.length() - 1) + (secret.endsWith("Q") ? "P" : "Q");

        List<Throwable> errors = new ArrayList<>();
        collect(errors, () -> decrypt(encrypt(random(100, 9), recipients(ALICE)), canary, ALICE.recipients()));
        collect(errors, () -> AgeIdentity.fromFile(ownerOnly("mangled.txt", mangled + "\n"), "identity_file"));
        collect(errors, () -> AgeIdentity.fromEnvironment("K", Map.of("K", mangled), "identity_env"));
        collect(errors, () -> AgeRecipients.parse(List.of(secret), "recipients"));
        Path loose = dir.resolve("loose.txt");
        Files.writeString(loose, secret + "\n");
        collect(errors, () -> AgeIdentity.fromFile(loose, "identity_file"));

        assertThat(errors).hasSize(5);
        StringBuilder printed = new StringBuilder(canary.toString());
        for (Throwable e : errors) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            printed.append(trace).append(((LifeboatException) e).hint());
        }
        assertThat(printed.toString())
                .doesNotContain(secret)
                .doesNotContain(mangled)
                .doesNotContain(secret.substring(16, 40));
    }

    private static void collect(List<Throwable> errors, ThrowingRunnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            errors.add(e);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Path ownerOnly(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private String secretOf(AgeIdentity identity) throws IOException {
        Path file = Files.createTempFile(dir, "id", ".txt");
        Files.delete(file);
        identity.writeTo(file);
        return Files.readAllLines(file).stream()
                .filter(l -> l.startsWith("AGE-SECRET-KEY-1"))
                .findFirst()
                .orElseThrow();
    }

    private static void assertRecipientRejected(String recipient, String reason) {
        LifeboatException e =
                refused(ErrorCode.CONFIG_INVALID, () -> AgeRecipients.parse(List.of(recipient), "recipients"));
        assertThat(e.getMessage()).contains("recipients[0]", reason);
    }

    private static void assertIntegrityFailure(ThrowingRunnable r) {
        refused(ErrorCode.INTEGRITY_FAILED, r::run);
    }

    static AgeRecipients recipients(AgeIdentity identity) {
        return AgeRecipients.parse(identity.recipients(), "recipients");
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] encrypt(byte[] plain, AgeRecipients to) {
        try (InputStream in = Encryption.to(to).encrypting(new ByteArrayInputStream(plain))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] decrypt(byte[] cipher, AgeIdentity identity) throws IOException {
        return decrypt(cipher, identity, List.of());
    }

    static byte[] decrypt(byte[] cipher, AgeIdentity identity, List<String> expected) throws IOException {
        // small reads through a filter, as a store's network stream would deliver them
        InputStream source = new FilterInputStream(new ByteArrayInputStream(cipher)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        try (InputStream in = Encryption.decrypting(source, identity, expected)) {
            return in.readAllBytes();
        }
    }
}

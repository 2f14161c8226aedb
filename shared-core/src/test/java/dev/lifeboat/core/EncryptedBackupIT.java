package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client-side age encryption through the whole service, and recovery without Lifeboat using the age CLI. */
class EncryptedBackupIT extends OverSharedCluster {
    private Path storeDir;
    private AgeIdentity key;
    private Path keyFile;

    @BeforeEach
    void setUp() {
        live = sampleApp("enc", 150, db -> db.countRows("exact"));
        storeDir = live.storeDir("vault");
        key = live.key();
        keyFile = live.keyFile();
    }

    /** A service whose store encrypts to {@code key}; {@code identity} (may be null) is the key it decrypts with. */
    private BackupService open(Path identity) {
        return live.open(c -> c.store("vault", storeDir, live.encrypted(identity)));
    }

    /** A backup of app through a service that encrypts and decrypts with {@link #keyFile}, closed since. */
    private Manifest anEncryptedBackup() {
        try (BackupService s = open(keyFile)) {
            return backupOfApp(s);
        }
    }

    /** Where the store holds {@code m}'s (encrypted) dump. */
    private Path stored(Manifest m) {
        return storeDir.resolve("app/" + m.id() + "/dump");
    }

    /** {@code m}'s stored dump decrypted by the age CLI with {@link #keyFile}, into {@code name} in the test's directory. */
    private Path decryptedByTheAgeCli(Manifest m, String name) throws Exception {
        Path plain = dir.resolve(name);
        InteropTools.run(
                Map.of(),
                List.of(
                        "age",
                        "--decrypt",
                        "-i",
                        keyFile.toString(),
                        "-o",
                        plain.toString(),
                        stored(m).toString()));
        return plain;
    }

    @Test
    void anEncryptedBackupRoundTripsAndItsChecksumNeedsNoKey() throws IOException {
        Manifest m;
        try (BackupService s = open(keyFile)) {
            m = backupOfApp(s);
            assertThat(m.encryption().format()).isEqualTo("age");
            assertThat(m.encryption().recipients()).containsExactlyElementsOf(key.recipients());
            byte[] stored = Files.readAllBytes(stored(m));
            assertThat(new String(stored, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("PGDMP");

            VerificationReport archive = s.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx);
            assertThat(archive.passed()).as("%s", archive.checks()).isTrue();
            String target = PgCluster.uniqueName("dec");
            s.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            VerificationReport drill = s.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.passed()).as("%s", drill.checks()).isTrue();
        }
        // a machine with only the public key can still prove the stored bytes are intact
        try (BackupService keyless = open(null)) {
            assertThat(keyless.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx).passed())
                    .isTrue();
            assertThat(refusedIntoNew(keyless, m, ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("encrypted")
                    .hasMessageContaining(key.recipients().get(0));
        }
    }

    @Test
    void aWrongKeyIsAKeyErrorNotADamagedBackup() throws IOException {
        Manifest m = anEncryptedBackup();
        Path otherKey = dir.resolve("other.key");
        AgeIdentity.generate().writeTo(otherKey);
        try (BackupService wrong = open(otherKey)) {
            assertThat(refusedIntoNew(wrong, m, ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("cannot decrypt")
                    .hasMessageContaining(key.recipients().get(0));
            assertThat(wrong.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx).passed())
                    .isTrue();
        }
    }

    @Test
    void withoutLifeboatTheAgeCliAndPgRestoreRecoverTheBackup() throws Exception {
        InteropTools.assumeInstalled("age", "age");
        Path plain = decryptedByTheAgeCli(anEncryptedBackup(), "plain.dump");
        String target = pg.createDatabase(PgCluster.uniqueName("byhand"));
        List<String> pgRestore = new ArrayList<>(pg.pgRestoreCommand(target));
        pgRestore.add(plain.toString());
        InteropTools.run(pg.clientEnv(), pgRestore);
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
    }

    @Test
    void aBackupEncryptedByTheAgeCliIsRestoredByLifeboat() throws Exception {
        InteropTools.assumeInstalled("age", "age");
        Manifest m;
        try (BackupService s = open(keyFile)) {
            m = backupOfApp(s);
            Path dump = stored(m);
            Path plain = decryptedByTheAgeCli(m, "p.dump");
            // re-encrypt with the CLI and re-seal the manifest to the new bytes, as a hand-made backup would be
            Path reenc = dir.resolve("r.age");
            InteropTools.run(
                    Map.of(), List.of("age", "-r", key.recipients().get(0), "-o", reenc.toString(), plain.toString()));
            Tampering.replace(m, dump, Files.readAllBytes(reenc));
            String target = PgCluster.uniqueName("fromcli");
            s.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx);
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        }
    }
}

package dev.lifeboat.core.source.files;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack archives, each built here with commons-compress: every one is refused with the entry named,
 * nothing lands outside the target, and an existing target is left exactly as it was.
 */
class SafeExtractorTest {
    @TempDir
    Path base;

    Path outside;
    Path target;
    Map<String, String> before;

    @BeforeEach
    void layout() throws IOException {
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "precious");
        Path restore = Files.createDirectories(base.resolve("restore"));
        target = Files.createDirectories(restore.resolve("target"));
        Files.writeString(target.resolve("existing.txt"), "still here");
        before = TarRoundTripTest.describe(base, false);
    }

    @Test
    void dotDotSegmentsAreRefused() throws IOException {
        assertRefused(tar(file("ok.txt", "fine"), file("../evil.txt", "x")), "../evil.txt", "'..'");
        assertRefused(tar(file("./a/../../evil.txt", "x")), "./a/../../evil.txt", "'..'");
        assertRefused(tar(file("a/../../../outside/secret.txt", "overwritten")), "outside/secret.txt", "'..'");
    }

    @Test
    void absolutePathsAreRefused() throws IOException {
        String abs = outside.resolve("evil.txt").toString();
        assertRefused(tar(file(abs, "x")), abs, "absolute path");
    }

    @Test
    void symlinksPointingOutsideAreRefused() throws IOException {
        assertRefused(tar(symlink("up", "../../outside")), "up", "outside the target");
        assertRefused(tar(symlink("etc", "/etc")), "etc", "absolute path /etc");
        assertRefused(tar(file("d/keep.txt", "k"), symlink("d/up", "../../x")), "d/up", "outside the target");
    }

    @Test
    void entriesWrittenThroughAPlantedSymlinkAreRefused() throws IOException {
        // the link itself points inside; writing through it is still refused
        assertRefused(tar(dir("real/"), symlink("in", "real"), file("in/x.txt", "x")), "in/x.txt", "symbolic link in");
        assertRefused(tar(symlink("f", "real.txt"), file("f", "x")), "f", "symbolic link");
        assertRefused(tar(symlink("d", "real"), dir("d/")), "d/", "symbolic link");
    }

    @Test
    void symlinkChainsThatLeadOutsideAreRefusedAfterResolvingForReal() throws IOException {
        // "s" is the target itself and "t" = "s/.." reads as inside by its text, but is the parent really
        assertRefused(tar(symlink("s", "."), symlink("t", "s/..")), "t", "resolves outside");
        assertRefused(tar(symlink("t", "s/.."), symlink("s", ".")), "t", "resolves outside");
        // and nothing may be written through it either
        assertRefused(tar(symlink("s", "."), symlink("t", "s/.."), file("t/evil.txt", "x")), "t/evil.txt", "symbolic");
    }

    @Test
    void hardlinksOutsideOrThroughLinksAreRefused() throws IOException {
        assertRefused(tar(hardlink("h", "../../outside/secret.txt")), "h", "outside the target");
        assertRefused(tar(hardlink("h", outside.resolve("secret.txt").toString())), "h", "outside the target");
        assertRefused(
                tar(dir("real/"), file("real/f.txt", "f"), symlink("s", "real"), hardlink("h", "s/f.txt")),
                "h",
                "symbolic link s");
        assertRefused(tar(hardlink("h", "never-extracted.txt")), "h", "not a file extracted earlier");
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        assertRefused(tar(special("null", TarConstants.LF_CHR)), "null", "device or FIFO");
        assertRefused(tar(special("disk", TarConstants.LF_BLK)), "disk", "device or FIFO");
        assertRefused(tar(special("pipe", TarConstants.LF_FIFO)), "pipe", "device or FIFO");
    }

    @Test
    void aDamagedArchiveIsAnIntegrityFailureAndLeavesNothing() throws IOException {
        byte[] good = tar(file("a.txt", "a".repeat(5000)), file("b.txt", "b"));
        byte[] damaged = good.clone();
        // the second header's checksum no longer matches
        damaged[512 * 11 + 3] ^= 0x55;
        refused(
                ErrorCode.INTEGRITY_FAILED,
                () -> SafeExtractor.extract(new ByteArrayInputStream(damaged), target, SafeExtractor.Mode.REPLACE));
        assertThat(TarRoundTripTest.describe(base, false)).isEqualTo(before);
    }

    @Test
    void aSafeArchiveWithLinksInsideIsExtracted() throws IOException {
        byte[] tar = tar(
                dir("real/"),
                file("real/f.txt", "f"),
                symlink("s", "real"),
                symlink("real/up", "../real/f.txt"),
                hardlink("h", "real/f.txt"),
                file("implicit/parent/g.txt", "g"),
                file("real/f.txt", "replaced by a later entry"));
        SafeExtractor.Result r =
                SafeExtractor.extract(new ByteArrayInputStream(tar), target, SafeExtractor.Mode.REPLACE);
        assertThat(r.symlinks()).isEqualTo(2);
        assertThat(r.hardlinks()).isEqualTo(1);
        assertThat(target.resolve("existing.txt")).doesNotExist();
        assertThat(target.resolve("s/f.txt")).hasContent("replaced by a later entry");
        assertThat(target.resolve("h")).hasContent("f");
        assertThat(target.resolve("implicit/parent/g.txt")).hasContent("g");
        assertThat(outside.resolve("secret.txt")).hasContent("precious");
    }

    @Test
    void theTargetItselfMayNotBeASymlink() throws IOException {
        Path link = Files.createSymbolicLink(base.resolve("restore/link"), outside);
        assertThat(refused(
                        ErrorCode.INVALID_ARGUMENT,
                        () -> SafeExtractor.extract(
                                new ByteArrayInputStream(tar(file("a", "a"))), link, SafeExtractor.Mode.REPLACE)))
                .hasMessageContaining("symbolic link");
        assertThat(outside.resolve("secret.txt")).hasContent("precious");
    }

    private void assertRefused(byte[] archive, String entry, String why) throws IOException {
        LifeboatException e = refused(
                ErrorCode.INTEGRITY_FAILED,
                () -> SafeExtractor.extract(new ByteArrayInputStream(archive), target, SafeExtractor.Mode.REPLACE));
        assertThat(e.getMessage()).contains(entry, why);
        assertThat(e.hint()).contains("nothing was written");
        // same files, same contents, no staging directory left behind, target untouched
        assertThat(TarRoundTripTest.describe(base, false)).isEqualTo(before);
    }

    private static byte[] tar(Entry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                tar.putArchiveEntry(e.header);
                if (e.content != null) {
                    tar.write(e.content);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private record Entry(TarArchiveEntry header, byte[] content) {}

    private static Entry file(String name, String content) {
        // preserveAbsolutePath: keep the name exactly as the attacker wrote it
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(bytes.length);
        e.setMode(0100644);
        return new Entry(e, bytes);
    }

    private static Entry dir(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
        e.setMode(040755);
        return new Entry(e, null);
    }

    private static Entry symlink(String name, String to) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(to);
        return new Entry(e, null);
    }

    private static Entry hardlink(String name, String to) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(to);
        return new Entry(e, null);
    }

    private static Entry special(String name, byte type) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setDevMajor(1);
        e.setDevMinor(3);
        return new Entry(e, null);
    }
}

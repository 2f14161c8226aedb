package dev.lifeboat.core.source.files;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarRoundTripTest {
    private static final FileTime T1 = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));
    private static final FileTime T2 = FileTime.from(Instant.parse("2019-11-12T13:14:15Z"));

    @TempDir
    Path base;

    @Test
    void aTreeWithModesLinksEmptyDirsAndUnicodeNamesSurvivesARoundTrip() throws IOException {
        Path source = sampleTree(base.resolve("source"));
        TarArchiver archiver = TarArchiver.of(source);
        byte[] tar = archiver.readAllBytes();
        TarArchiver.Summary summary = archiver.summary();

        Path target = base.resolve("restored");
        SafeExtractor.Result result =
                SafeExtractor.extract(new ByteArrayInputStream(tar), target, SafeExtractor.Mode.INTO_EMPTY);

        assertThat(describe(target)).isEqualTo(describe(source));
        assertThat(summary.files()).isEqualTo(6);
        assertThat(summary.symlinks()).isEqualTo(3);
        assertThat(summary.directories()).isEqualTo(7); // ./ and six below it
        assertThat(summary.skipped()).isEmpty();
        assertThat(summary.fileBytes()).isEqualTo(300_000 + 5 + 4 + 0 + 3 + 6);
        assertThat(result.files()).isEqualTo(6);
        assertThat(result.symlinks()).isEqualTo(3);
        assertThat(result.fileBytes()).isEqualTo(summary.fileBytes());
        assertThat(Files.isSymbolicLink(target.resolve("docs/latest"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("docs/latest"))).isEqualTo(Path.of("v1/readme.txt"));
        // nothing left over next to the target
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("source", "restored");
        }
    }

    @Test
    void gnuTarReadsTheArchive() throws Exception {
        Path source = sampleTree(base.resolve("source"));
        Path tarFile = base.resolve("a.tar");
        try (InputStream in = TarArchiver.of(source)) {
            Files.copy(in, tarFile);
        }
        Path out = Files.createDirectory(base.resolve("by-gnu-tar"));
        Process p = new ProcessBuilder("tar", "-xpf", tarFile.toString(), "-C", out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(describe(out)).isEqualTo(describe(source));
    }

    @Test
    void socketsAndFifosAreSkippedAndListed() throws Exception {
        Path source = Files.createDirectory(base.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "a");
        Process p = new ProcessBuilder("mkfifo", source.resolve("pipe").toString()).start();
        assertThat(p.waitFor()).isZero();
        TarArchiver archiver = TarArchiver.of(source);
        archiver.readAllBytes();
        assertThat(archiver.summary().skipped()).singleElement().asString().startsWith("./pipe");
        assertThat(archiver.summary().files()).isEqualTo(1);
    }

    @Test
    void theArchiveIsProducedAsItIsRead() throws IOException {
        Path source = Files.createDirectory(base.resolve("source"));
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        try (TarArchiver in = TarArchiver.of(source)) {
            byte[] buf = new byte[4096];
            long total = 0;
            int n;
            int maxAvailable = 0;
            while ((n = in.read(buf)) != -1) {
                total += n;
                maxAvailable = Math.max(maxAvailable, in.available());
            }
            // never more than a small buffer of archive waiting: the file is not slurped
            assertThat(maxAvailable).isLessThan(128 * 1024);
            assertThat(total).isGreaterThan(big.length);
        }
    }

    @Test
    void aMissingOrLinkedSourceIsRefused() throws IOException {
        assertThat(refused(ErrorCode.INVALID_ARGUMENT, () -> TarArchiver.of(base.resolve("nope"))))
                .hasMessageContaining("does not exist");
        Path real = Files.createDirectory(base.resolve("real"));
        Path link = Files.createSymbolicLink(base.resolve("link"), real);
        assertThatThrownBy(() -> TarArchiver.of(link)).hasMessageContaining("not a directory");
    }

    @Test
    void aNonEmptyTargetIsOnlyReplacedWhenAskedTo() throws IOException {
        Path source = sampleTree(base.resolve("source"));
        byte[] tar = TarArchiver.of(source).readAllBytes();
        Path target = Files.createDirectory(base.resolve("target"));
        Files.writeString(target.resolve("old.txt"), "old");

        LifeboatException e = refused(
                ErrorCode.ALREADY_EXISTS,
                () -> SafeExtractor.extract(new ByteArrayInputStream(tar), target, SafeExtractor.Mode.INTO_EMPTY));
        assertThat(e.getMessage()).contains("not empty");
        assertThat(target.resolve("old.txt")).hasContent("old");

        SafeExtractor.extract(new ByteArrayInputStream(tar), target, SafeExtractor.Mode.REPLACE);
        assertThat(target.resolve("old.txt")).doesNotExist();
        assertThat(describe(target)).isEqualTo(describe(source));
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("source", "target");
        }
    }

    @Test
    void anEmptyTargetDirectoryIsFilled() throws IOException {
        Path source = sampleTree(base.resolve("source"));
        Path target = Files.createDirectory(base.resolve("target"));
        SafeExtractor.extract(TarArchiver.of(source), target, SafeExtractor.Mode.INTO_EMPTY);
        assertThat(describe(target)).isEqualTo(describe(source));
    }

    @Test
    void theWholeStreamIsConsumedSoAHashUnderneathSeesEveryByte() throws IOException {
        Path source = sampleTree(base.resolve("source"));
        byte[] tar = TarArchiver.of(source).readAllBytes();
        ByteArrayInputStream in = new ByteArrayInputStream(tar);
        SafeExtractor.extract(in, base.resolve("t"), SafeExtractor.Mode.INTO_EMPTY);
        assertThat(in.available()).isZero();
    }

    /**
     * A tree with a big file, an executable, a read-only file, an empty file, a 0700 directory, an empty
     * directory, unicode and long names, links to a file, to a directory and dangling.
     */
    static Path sampleTree(Path root) throws IOException {
        Files.createDirectories(root);
        byte[] big = new byte[300_000];
        new Random(2).nextBytes(big);
        write(root.resolve("data.bin"), big, "rw-r-----");
        write(root.resolve("run.sh"), "echo".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        Path docs = Files.createDirectories(root.resolve("docs/v1"));
        write(docs.resolve("readme.txt"), "hello".getBytes(StandardCharsets.UTF_8), "r--r--r--");
        write(docs.resolve("empty"), new byte[0], "rw-rw-r--");
        Path unicode = Files.createDirectories(root.resolve("café ☃"));
        write(unicode.resolve("日本語.txt"), "ja!".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        Path deep = Files.createDirectories(root.resolve("long-" + "x".repeat(90) + "/" + "y".repeat(80)));
        write(deep.resolve("z".repeat(120) + ".txt"), "deeply".getBytes(StandardCharsets.UTF_8), "rw-------");
        Files.createDirectory(root.resolve("empty-dir"));
        Files.setPosixFilePermissions(root.resolve("empty-dir"), PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(root.resolve("empty-dir"), T2);
        Files.createSymbolicLink(root.resolve("docs/latest"), Path.of("v1/readme.txt"));
        Files.createSymbolicLink(root.resolve("docs-link"), Path.of("docs"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("not-there-yet"));
        Files.setLastModifiedTime(docs, T2);
        Files.setPosixFilePermissions(root.resolve("docs"), PosixFilePermissions.fromString("rwxr-x---"));
        return root;
    }

    private static void write(Path p, byte[] content, String perms) throws IOException {
        Files.write(p, content);
        Files.setLastModifiedTime(p, T1);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    /** Every path below root with its type, permissions, mtime (files and dirs) and content or link. */
    static Map<String, String> describe(Path root) throws IOException {
        return describe(root, true);
    }

    /** As {@link #describe(Path)}; without directory times when a sibling's creation may have touched them. */
    static Map<String, String> describe(Path root, boolean dirTimes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p));
                    continue;
                }
                String perms =
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                        .toInstant()
                        .getEpochSecond();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir " + perms + " " + (rel.isEmpty() || !dirTimes ? "" : mtime));
                } else {
                    out.put(
                            rel,
                            "file " + perms + " " + mtime + " " + java.util.Arrays.hashCode(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }
}

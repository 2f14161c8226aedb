package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealPathsTest {
    @TempDir
    Path dir;

    @Test
    void aLinkAnywhereInTheExistingPartIsFollowedAndTheMissingTailIsKept() throws IOException {
        Path store = Files.createDirectories(dir.resolve("store/backups"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), store);
        Path real = store.toRealPath();

        assertThat(RealPaths.resolve(alias.resolve("shop"))).isEqualTo(real.resolve("shop"));
        assertThat(RealPaths.resolve(alias.resolve("a/b/../c"))).isEqualTo(real.resolve("a/c"));
        assertThat(RealPaths.resolve(alias)).isEqualTo(real);
        assertThat(RealPaths.overlap(RealPaths.resolve(alias.resolve("x")), real))
                .isTrue();
        assertThat(RealPaths.overlap(real, RealPaths.resolve(alias.getParent())))
                .isTrue();
        assertThat(RealPaths.overlap(RealPaths.resolve(dir.resolve("other")), real))
                .isFalse();
    }

    @Test
    void dotDotAfterALinkIsResolvedTheWayTheFileSystemDoesIt() throws IOException {
        Path deep = Files.createDirectories(dir.resolve("a/b/c"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), deep);
        // as text 'link/..' is dir; the file system goes to a/b
        assertThat(RealPaths.resolve(Path.of(link + "/../x")))
                .isEqualTo(dir.resolve("a/b").toRealPath().resolve("x"));
    }

    @Test
    void resolveParentKeepsALinkAtTheLastNameForTheCallerToRefuse() throws IOException {
        Path target = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThat(RealPaths.resolveParent(link)).isEqualTo(dir.toRealPath().resolve("link"));
        assertThat(RealPaths.resolve(link)).isEqualTo(target.toRealPath());
    }

    @Test
    void aDanglingLinkOrAMissingPathStaysAbsoluteAndNormalized() throws IOException {
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(RealPaths.resolve(dir.resolve("dangling/x")))
                .isEqualTo(dir.toRealPath().resolve("dangling/x"));
        assertThat(RealPaths.resolve(Path.of("/no-such-root-dir-lb/x/../y")))
                .isEqualTo(Path.of("/no-such-root-dir-lb/y"));
    }

    @Test
    void privateDirectoriesAreOwnerOnlyAndALinkPlantedAtTheirNameIsRefused() throws IOException {
        Path spool = PrivateDirectories.ensure(dir.resolve("state/spool"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)))
                .isEqualTo("rwx------");
        assertThat(PrivateDirectories.ensure(spool)).isEqualTo(spool);

        Path elsewhere = Files.createDirectories(dir.resolve("world-readable"));
        Path planted = Files.createSymbolicLink(dir.resolve("state/drills"), elsewhere);
        assertThatThrownBy(() -> PrivateDirectories.ensure(planted))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        Files.writeString(dir.resolve("state/plans"), "a file");
        assertThatThrownBy(() -> PrivateDirectories.ensure(dir.resolve("state/plans")))
                .isInstanceOf(IOException.class);
    }
}

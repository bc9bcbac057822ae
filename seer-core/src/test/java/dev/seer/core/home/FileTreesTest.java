package dev.seer.core.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path temp;

    @Test
    void removesANestedTree() throws IOException {
        Path root = temp.resolve("tree");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file.txt"), "x");
        Files.writeString(root.resolve("top.txt"), "y");
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void anAbsentRootIsFine() {
        FileTrees.delete(temp.resolve("never-made"));
        assertThat(FileTrees.deleteQuietly(temp.resolve("never-made"))).isTrue();
    }

    @Test
    void linksToOutsideAreRemovedButTheirTargetsSurvive() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path outsideFile = Files.writeString(temp.resolve("single.txt"), "keep me too");
        Path root = Files.createDirectories(temp.resolve("tree/inner"));
        Files.createSymbolicLink(root.resolve("to-folder"), outside);
        Files.createSymbolicLink(root.resolve("to-file"), outsideFile);
        Files.createSymbolicLink(root.resolve("dangling"), temp.resolve("nothing-here"));

        FileTrees.delete(temp.resolve("tree"));

        assertThat(temp.resolve("tree")).doesNotExist();
        assertThat(precious).hasContent("keep me");
        assertThat(outsideFile).hasContent("keep me too");
    }

    @Test
    void aRootThatIsALinkLosesOnlyTheLink() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path link = Files.createSymbolicLink(temp.resolve("link"), outside);
        FileTrees.delete(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(precious).hasContent("keep me");
    }
}

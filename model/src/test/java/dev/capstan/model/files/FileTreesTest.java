package dev.capstan.model.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletesTheTreeButNotWhatALinkInItPointsAt(@TempDir Path tmp) throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path keptDir = Files.createDirectories(tmp.resolve("kept-dir"));
        Files.writeString(keptDir.resolve("inner.txt"), "keep too");
        Path root = Files.createDirectories(tmp.resolve("root/a/b"));
        Files.writeString(root.resolve("file.txt"), "x");
        Files.createSymbolicLink(tmp.resolve("root/a/file-link"), outside);
        Files.createSymbolicLink(tmp.resolve("root/dir-link"), keptDir);

        FileTrees.delete(tmp.resolve("root"));

        assertThat(tmp.resolve("root")).doesNotExist();
        assertThat(outside).hasContent("keep");
        assertThat(keptDir.resolve("inner.txt")).hasContent("keep too");
    }

    @Test
    void aMissingTreeIsNothingToDo(@TempDir Path tmp) throws Exception {
        FileTrees.delete(tmp.resolve("absent"));
        assertThat(tmp).isEmptyDirectory();
    }
}

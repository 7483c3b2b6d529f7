package dev.capstan.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathsTest {
    @TempDir
    Path dir;

    @Test
    void orCreateTypesMakeWhatIsMissing() throws IOException {
        Path d = dir.resolve("a/b");
        HostPaths.check(d, "DirectoryOrCreate");
        assertThat(d).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
                .isEqualTo("rwxr-xr-x");
        Path f = dir.resolve("file");
        HostPaths.check(f, "FileOrCreate");
        assertThat(f).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-r--r--");
        HostPaths.check(f, "File");
        HostPaths.check(d, "Directory");
        HostPaths.check(dir.resolve("anything"), "");
    }

    @Test
    void otherTypesMustExistAsThatKind() throws IOException {
        Path f = Files.createFile(dir.resolve("file"));
        assertThatThrownBy(() -> HostPaths.check(f, "Directory"))
                .hasMessage("hostPath type check failed: " + f + " is not a directory");
        assertThatThrownBy(() -> HostPaths.check(f, "DirectoryOrCreate"))
                .hasMessage("hostPath type check failed: " + f + " is not a directory");
        assertThatThrownBy(() -> HostPaths.check(dir, "FileOrCreate"))
                .hasMessage("hostPath type check failed: " + dir + " is not a file");
        assertThatThrownBy(() -> HostPaths.check(dir.resolve("none"), "File"))
                .hasMessage("hostPath type check failed: " + dir.resolve("none") + " is not a file");
        assertThatThrownBy(() -> HostPaths.check(f, "Socket"))
                .hasMessage("hostPath type check failed: " + f + " is not a socket file");
        assertThatThrownBy(() -> HostPaths.check(f, "BlockDevice"))
                .hasMessage("hostPath type check failed: " + f + " is not a block device");
        HostPaths.check(Path.of("/dev/null"), "CharDevice");
        assertThatThrownBy(() -> HostPaths.check(f, "Pipe")).hasMessage("Pipe is an invalid volume type");
    }
}

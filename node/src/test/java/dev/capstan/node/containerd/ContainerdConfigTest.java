package dev.capstan.node.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdConfigTest {

    private final ContainerdConfig config = new ContainerdConfig(
            Path.of("/var/lib/capstan/containerd"), ContainerdConfig.DEFAULT_SANDBOX_IMAGE, Path.of("/usr/lib/cni"), 0);

    @Test
    void everythingLivesUnderTheStateDirectory() {
        String toml = config.render();
        assertThat(toml)
                .startsWith("# Written by the Capstan node agent")
                .contains("version = 2\n")
                .contains("root = \"/var/lib/capstan/containerd/root\"\n")
                .contains("state = \"/var/lib/capstan/containerd/state\"\n")
                .contains("[grpc]\n  address = \"/var/lib/capstan/containerd/containerd.sock\"\n")
                .contains("[ttrpc]\n  address = \"/var/lib/capstan/containerd/containerd.sock.ttrpc\"\n")
                .contains("path = \"/var/lib/capstan/containerd/root/opt\"")
                .contains("Root = \"/var/lib/capstan/containerd/state/runc\"");
    }

    @Test
    void criPluginIsConfiguredAsTheseMachinesNeed() {
        String toml = config.render();
        assertThat(toml)
                .contains("[plugins.\"io.containerd.grpc.v1.cri\"]\n")
                .contains("    sandbox_image = \"localhost/capstan/pause:1\"\n")
                .contains("    restrict_oom_score_adj = true\n")
                .contains("    stream_server_address = \"127.0.0.1\"\n")
                .contains("    stream_server_port = \"0\"\n")
                .contains("    enable_tls_streaming = false\n")
                .contains("      snapshotter = \"overlayfs\"\n")
                .contains("        runtime_type = \"io.containerd.runc.v2\"\n")
                .contains("          SystemdCgroup = false\n")
                .contains("      bin_dir = \"/usr/lib/cni\"\n")
                .contains("      conf_dir = \"/var/lib/capstan/containerd/cni/net.d\"\n");
    }

    @Test
    void aFixedStreamPortIsWrittenAsAString() {
        var fixed = new ContainerdConfig(Path.of("/s"), "p:1", Path.of("/c"), 10010);
        assertThat(fixed.render()).contains("stream_server_port = \"10010\"\n");
    }

    @Test
    void quotesTomlStrings() {
        assertThat(ContainerdConfig.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\u000ad\"");
    }

    @Test
    void findsTheCniDirectoryThatHoldsTheBridgePlugin(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.createFile(
                plugins.resolve("bridge"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(ContainerdConfig.findCniBinDir(List.of(dir.resolve("missing"), empty, plugins)))
                .contains(plugins);
        assertThat(ContainerdConfig.findCniBinDir(List.of(empty))).isEmpty();
    }

    @Test
    void saysWhatToInstallWhenContainerdIsMissing(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> ContainerdProcess.requireInstalled(emptyDir.toString()))
                .hasMessageContaining("containerd is not installed")
                .hasMessageContaining("apt-get install containerd runc containernetworking-plugins");
    }

    @Test
    void findsCommandsOnThePath(@TempDir Path dir) throws IOException {
        Files.createFile(
                dir.resolve("containerd"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(ContainerdProcess.findOnPath("containerd", "/nonexistent:" + dir))
                .contains(dir.resolve("containerd"));
        assertThat(ContainerdProcess.findOnPath("runc", dir.toString())).isEmpty();
    }
}

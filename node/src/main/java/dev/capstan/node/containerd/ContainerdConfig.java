package dev.capstan.node.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * containerd's configuration (version 2 TOML) for a node agent's own instance: everything it writes lives
 * under {@code stateDir}, and the CRI plugin is set up as RUNTIME-NOTES found necessary on these machines.
 *
 * @param stateDir the directory holding root/, state/, the socket and the CNI configuration
 * @param sandboxImage the pause image, imported locally (no registry is reachable)
 * @param cniBinDir where the CNI plugins are installed (see {@link #findCniBinDir})
 * @param streamServerPort the CRI stream server's port on 127.0.0.1; 0 picks a free one
 */
public record ContainerdConfig(Path stateDir, String sandboxImage, Path cniBinDir, int streamServerPort) {

    public static final String DEFAULT_SANDBOX_IMAGE = "localhost/capstan/pause:1";

    /** Where distributions install the CNI plugins: Debian's package, then upstream's tarball layout, then Fedora's. */
    public static final List<Path> CNI_BIN_DIRS =
            List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"), Path.of("/usr/libexec/cni"));

    public Path root() {
        return stateDir.resolve("root");
    }

    public Path state() {
        return stateDir.resolve("state");
    }

    public Path socket() {
        return stateDir.resolve("containerd.sock");
    }

    public Path cniConfDir() {
        return stateDir.resolve("cni/net.d");
    }

    public Path configFile() {
        return stateDir.resolve("containerd.toml");
    }

    public Path logFile() {
        return stateDir.resolve("containerd.log");
    }

    /** The first of {@code candidates} that holds the bridge plugin. */
    public static Optional<Path> findCniBinDir(List<Path> candidates) {
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("bridge")))
                .findFirst();
    }

    /** The installed CNI plugins' directory, or a failure that says what to install. */
    public static Path findCniBinDir() {
        return findCniBinDir(CNI_BIN_DIRS)
                .orElseThrow(() -> new IllegalStateException("No CNI plugins found (looked for 'bridge' in "
                        + CNI_BIN_DIRS + "): apt-get install containernetworking-plugins"));
    }

    /** The TOML text; a pure function of this record so that it can be checked line by line. */
    public String render() {
        return """
                # Written by the Capstan node agent; rewritten on every start.
                version = 2
                root = %1$s
                state = %2$s

                [grpc]
                  address = %3$s

                [ttrpc]
                  address = %4$s

                [debug]
                  level = "info"

                [plugins]
                  [plugins."io.containerd.internal.v1.opt"]
                    path = %5$s

                  [plugins."io.containerd.grpc.v1.cri"]
                    sandbox_image = %6$s
                    # Without it RunPodSandbox fails: runc may not write oom_score_adj here (no CAP_SYS_RESOURCE).
                    restrict_oom_score_adj = true
                    stream_server_address = "127.0.0.1"
                    stream_server_port = "%7$d"
                    enable_tls_streaming = false

                    [plugins."io.containerd.grpc.v1.cri".containerd]
                      snapshotter = "overlayfs"
                      default_runtime_name = "runc"

                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                        runtime_type = "io.containerd.runc.v2"

                        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                          SystemdCgroup = false
                          # runc's state beside ours, not in the machine-wide /run/containerd/runc.
                          Root = %8$s

                    [plugins."io.containerd.grpc.v1.cri".cni]
                      bin_dir = %9$s
                      conf_dir = %10$s
                """.formatted(
                        quote(root()),
                        quote(state()),
                        quote(socket()),
                        quote(Path.of(socket() + ".ttrpc")),
                        quote(root().resolve("opt")),
                        quote(sandboxImage),
                        streamServerPort,
                        quote(state().resolve("runc")),
                        quote(cniBinDir),
                        quote(cniConfDir()));
    }

    /** A TOML basic string. */
    static String quote(Object value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

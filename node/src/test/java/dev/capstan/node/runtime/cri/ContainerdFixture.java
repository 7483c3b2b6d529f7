package dev.capstan.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.containerd.ContainerdConfig;
import dev.capstan.node.containerd.ContainerdProcess;
import dev.capstan.node.images.LocalImages;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real containerd for an integration test: started (ContainerdProcess) in a temporary directory, the local images
 * imported, a pod network on a bridge of the test's own. {@link #close} removes every sandbox, stops containerd and
 * checks that nothing is left (processes, cgroups, mounts, the bridge). Without containerd (or root) the test is
 * skipped, except under CI, where it fails.
 */
public final class ContainerdFixture implements AutoCloseable {
    public static final String CASE_LABEL = "capstan.test/case";

    private final Path dir;
    /** Directories containerd makes outside its state directory, which the fixture removes if it made them. */
    private final List<Path> machineDirsMadeHere;

    private ContainerdProcess containerd;
    private TestPodNetwork network;
    private CriRuntime runtime;

    private ContainerdFixture(Path dir, List<Path> machineDirsMadeHere) {
        this.dir = dir;
        this.machineDirsMadeHere = machineDirsMadeHere;
    }

    /** Starts containerd with the pod network {@code names}; closes what it started if a step fails. */
    public static ContainerdFixture start(String prefix, TestPodNetwork.Names names) throws IOException {
        requireMachine();
        var fixture = new ContainerdFixture(
                Files.createTempDirectory(prefix),
                machineDirs().stream().filter(path -> !Files.exists(path)).toList());
        try {
            Path stateDir = fixture.dir.resolve("containerd");
            var config = new ContainerdConfig(stateDir, LocalImages.PAUSE, ContainerdConfig.findCniBinDir(), 0);
            fixture.network = TestPodNetwork.create(config.cniConfDir(), fixture.dir.resolve("ipam"), names);
            fixture.containerd = ContainerdProcess.start(config, Duration.ofSeconds(30));
            fixture.runtime = CriRuntime.connect(fixture.containerd.socket(), CriRuntime.DEFAULT_CALL_TIMEOUT);
            return fixture;
        } catch (RuntimeException e) {
            try {
                fixture.close();
            } catch (IOException | RuntimeException | AssertionError closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public CriRuntime runtime() {
        return runtime;
    }

    public ContainerdProcess containerd() {
        return containerd;
    }

    public TestPodNetwork network() {
        return network;
    }

    /** A sandbox config labelled with {@link #CASE_LABEL} {@code testCase}, its logs under the test directory. */
    public PodSandboxConfig sandboxConfig(String name, String testCase) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs").resolve(name));
        return PodSandboxConfig.of(
                        new PodMetadata(name, "default", UUID.randomUUID().toString(), 0), logs.toString())
                .withLabels(Map.of(CASE_LABEL, testCase));
    }

    @Override
    public void close() throws IOException {
        if (runtime != null) {
            for (var sandbox : runtime.listPodSandboxes(Map.of())) {
                runtime.stopPodSandbox(sandbox.id());
                runtime.removePodSandbox(sandbox.id());
            }
            runtime.close();
        }
        if (containerd != null) {
            containerd.close();
            assertThat(containerd.isAlive()).isFalse();
        }
        for (Path made : machineDirsMadeHere) {
            // rmdir only: an empty cgroup goes, anything still in use stays and fails the check below.
            made.toFile().delete();
            assertThat(made).as("left behind by containerd").doesNotExist();
        }
        if (network != null) {
            network.close();
            assertThat(network.bridgeExists()).as("bridge removed").isFalse();
        }
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).as("no mounts left under the test directory").doesNotContain(dir.toString());
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    /**
     * containerd's parent cgroup of the containers (cgroupfs driver, no cgroup parent given) in each hierarchy, and
     * its shim sockets' directory; deepest first.
     */
    private static List<Path> machineDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            hierarchies.filter(Files::isDirectory).sorted().forEach(h -> dirs.add(h.resolve("k8s.io")));
        }
        dirs.add(Path.of("/sys/fs/cgroup/k8s.io"));
        dirs.add(Path.of("/run/containerd/s"));
        dirs.add(Path.of("/run/containerd"));
        return dirs.stream().distinct().toList();
    }

    /** Skips where this machine cannot run containers, except under CI, where a missing package is a failure. */
    private static void requireMachine() {
        List<String> missing = new ArrayList<>();
        for (String binary :
                List.of("/usr/bin/containerd", "/usr/bin/ctr", "/usr/sbin/runc", "/usr/sbin/nft", "/usr/sbin/ip")) {
            if (!Files.isExecutable(Path.of(binary))
                    && !Files.isExecutable(Path.of(binary.replace("/usr/sbin/", "/sbin/")))) {
                missing.add(binary);
            }
        }
        if (ContainerdConfig.findCniBinDir(ContainerdConfig.CNI_BIN_DIRS).isEmpty()) {
            missing.add("CNI plugins");
        }
        if (LocalImages.BUSYBOX_PATHS.stream().noneMatch(Files::isExecutable)) {
            missing.add("busybox");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (containerd, CNI and nft need it)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "Cannot run containers here, missing: " + missing
                + " (apt-get install containerd runc containernetworking-plugins nftables busybox-static iproute2)";
        if (System.getenv("CI") != null) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }
}

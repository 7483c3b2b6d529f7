package dev.capstan.node.runtime.cri;

import dev.capstan.node.network.CniConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The integration test's pod network, and the clean-up of what it changes on the machine: a guard nft table of its
 * own that drops traffic from the test pod CIDR leaving through any interface but the test bridge (so nothing
 * a pod sends can leave the machine), the bridge that CNI creates, and ip_forward, which the bridge plugin's
 * {@code isGateway} turns on machine-wide.
 */
public final class TestPodNetwork implements AutoCloseable {

    /** A test's own bridge, pod CIDR and guard table, so that tests of different classes can run at once. */
    public record Names(String bridge, String podCidr, String guardTable) {
        public static final Names CRI_IT = new Names("capstantest0", "10.244.250.0/24", "capstan_test_guard");
    }

    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private final String ipForwardBefore;
    private final Names names;

    private TestPodNetwork(String ipForwardBefore, Names names) {
        this.ipForwardBefore = ipForwardBefore;
        this.names = names;
    }

    /** Writes the conflist into {@code cniConfDir} and installs the guard before any pod exists. */
    public static TestPodNetwork create(Path cniConfDir, Path ipamDir, Names names) {
        String ipForward = read(IP_FORWARD);
        new CniConfig("capstan-test", names.bridge(), names.podCidr(), ipamDir).writeTo(cniConfDir);
        run(List.of("nft", "-f", "-"), """
                table ip %s {
                  chain postrouting {
                    type filter hook postrouting priority 0; policy accept;
                    ip saddr %s oifname != "%s" drop
                  }
                }
                """.formatted(names.guardTable(), names.podCidr(), names.bridge()));
        return new TestPodNetwork(ipForward, names);
    }

    /** Whether the guard is in place (checked by the test before it sends anything). */
    public boolean guardInstalled() {
        return run(List.of("nft", "list", "table", "ip", names.guardTable()), null)
                .contains("oifname != \"" + names.bridge() + "\" drop");
    }

    public boolean bridgeExists() {
        return Files.exists(Path.of("/sys/class/net", names.bridge()));
    }

    @Override
    public void close() {
        if (bridgeExists()) {
            run(List.of("ip", "link", "delete", names.bridge()), null);
        }
        try {
            Files.writeString(IP_FORWARD, ipForwardBefore);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restore " + IP_FORWARD + " to " + ipForwardBefore, e);
        }
        run(List.of("nft", "delete", "table", "ip", names.guardTable()), null);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String run(List<String> command, String stdin) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

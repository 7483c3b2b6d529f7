package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real node for one test class: its own pod CIDR and bridge, and a guard nft rule that drops anything from that CIDR
 * or to the Service range leaving through another interface, so that test traffic goes only to pod IPs on that bridge. Needs root and
 * containerd: the test is skipped without them, except under CI, where that fails.
 */
final class NodeMachine {
    static final String IMAGE = "localhost/capstan/busybox:1";
    static final Duration START = Duration.ofSeconds(60);
    /** The API server's default Service range: the guard drops what is addressed to it and leaves the machine. */
    static final String SERVICE_CIDR = "10.96.0.0/16";

    final String cidr;
    final String bridge;
    private final String guardTable;
    private boolean guarded;

    NodeMachine(String cidr, String bridge, String guardTable) {
        this.cidr = cidr;
        this.bridge = bridge;
        this.guardTable = guardTable;
    }

    /** Checks the machine, then installs the guard rule. */
    void guard(String test) throws IOException, InterruptedException {
        requireMachine(test);
        run(List.of("nft", "-f", "-"), """
                table ip %s {
                  chain postrouting {
                    type filter hook postrouting priority 0; policy accept;
                    ip saddr %s oifname != "%s" drop
                    ip daddr %s oifname != "%s" drop
                  }
                }
                """.formatted(guardTable, cidr, bridge, SERVICE_CIDR, bridge));
        guarded = true;
    }

    void unguard() throws IOException, InterruptedException {
        if (guarded) {
            run(List.of("nft", "delete", "table", "ip", guardTable), null);
            guarded = false;
        }
    }

    /** A GET to a pod IP on port 8080, once the guard is seen in place; retried until the pod answers. */
    String httpGet(String ip, String path) throws Exception {
        assertThat(run(List.of("nft", "list", "table", "ip", guardTable), null))
                .contains("oifname != \"" + bridge + "\" drop");
        var http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        return await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> http.send(
                                        HttpRequest.newBuilder(URI.create("http://" + ip + ":8080" + path))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body(),
                        body -> body != null);
    }

    /**
     * {@code ./capstan up --node} on this machine's pod CIDR and bridge. The scheduler and controller manager run as
     * single replicas without leader election, whose 10 s renew deadline a loaded 2-core machine can miss while
     * containerd and the node agent start.
     */
    Cluster up(Path tmp, String... nodeOptions) throws Exception {
        return up(tmp, false, nodeOptions);
    }

    /**
     * As {@link #up(Path, String...)}, with the scheduler, controller manager, node agent and netproxy each in a JVM
     * of its own ({@code separateJvms}) or, as {@code ./capstan up} runs them by default, all in one.
     */
    Cluster up(Path tmp, boolean separateJvms, String... nodeOptions) throws Exception {
        List<String> node = new ArrayList<>(List.of("-Dcapstan.node.bridge=" + bridge));
        node.addAll(List.of(nodeOptions));
        return Cluster.upWithNode(
                tmp,
                List.of(
                        "-Dcapstan.controllers.nodes.cluster-cidr=" + cidr,
                        "-Dcapstan.controllers.leader-election.enabled=false",
                        "-Dcapstan.scheduler.leader-election.enabled=false"),
                node,
                netproxyOptions(),
                separateJvms);
    }

    /**
     * The netproxy beside this node: the same bridge, tables of this test's own, and the DNS server on a free port
     * (the kube-dns Service's endpoint names it), so that nothing collides with a cluster the developer runs.
     */
    List<String> netproxyOptions() {
        return List.of(
                "-Dcapstan.netproxy.bridge=" + bridge,
                "-Dcapstan.netproxy.table=" + proxyTable(),
                "-Dcapstan.netproxy.policy-table=" + policyTable(),
                "-Dcapstan.netproxy.dns-port=" + Cluster.freePort());
    }

    /** The netproxy's NetworkPolicy table of this test. */
    String policyTable() {
        return guardTable + "-policy";
    }

    /** The netproxy's Service table of this test. */
    String proxyTable() {
        return guardTable + "-proxy";
    }

    static io.fabric8.kubernetes.api.model.Container busybox(String name, String script) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(IMAGE)
                .withCommand("sh", "-c", script)
                .build();
    }

    static Pod awaitPod(ApiClient api, String ns, String name, Predicate<Pod> condition) {
        return await().atMost(START)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> api.resources(Kinds.PODS).get(ns, name).orElse(null),
                        p -> p != null && p.getStatus() != null && condition.test(p));
    }

    /** Deletes the pod; the agent stops it and confirms with the final delete; nothing of it stays in containerd. */
    static void deleteAndAwaitGone(ApiClient api, Cluster cluster, Pod pod) throws Exception {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        api.resources(Kinds.PODS).delete(ns, name, DeleteOptions.DEFAULT);
        await().atMost(START)
                .until(() -> api.resources(Kinds.PODS).get(ns, name).isEmpty());
        assertThat(containersOf(cluster, pod))
                .as("containers and sandboxes of %s", name)
                .isEmpty();
    }

    /**
     * Deletes a pod that has finished (Succeeded or Failed): the API server removes it at once, as upstream's does for
     * a terminal pod, and the agent cleans up after; nothing of it stays in containerd.
     */
    static void deleteFinishedAndAwaitCleanUp(ApiClient api, Cluster cluster, Pod pod) {
        api.resources(Kinds.PODS)
                .delete(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), DeleteOptions.DEFAULT);
        await().atMost(START)
                .untilAsserted(() -> assertThat(containersOf(cluster, pod))
                        .as("containers and sandboxes of %s", pod.getMetadata().getName())
                        .isEmpty());
    }

    /** The containers (sandboxes' pause containers too) containerd has for the pod, one line each. */
    static List<String> containersOf(Cluster cluster, Pod pod) throws IOException, InterruptedException {
        String listed = run(
                List.of(
                        "ctr",
                        "-a",
                        cluster.state()
                                .resolve("node/containerd/containerd.sock")
                                .toString(),
                        "-n",
                        "k8s.io",
                        "containers",
                        "ls",
                        "labels.\"io.kubernetes.pod.uid\"==" + pod.getMetadata().getUid()),
                null);
        return listed.lines().skip(1).toList();
    }

    static List<Path> cgroupDirs(String id) throws IOException {
        List<Path> left = new ArrayList<>();
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve("k8s.io").resolve(id);
                if (Files.exists(dir)) {
                    left.add(dir);
                }
            }
        }
        return left;
    }

    /** The mount points at or below {@code dir}, from this process's mount table (the agent's namespace). */
    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")[4])
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .toList();
    }

    /** Skips where this machine cannot run containers, except under CI, where a missing package is a failure. */
    private static void requireMachine(String test) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("containerd", "runc", "nft", "ctr", "ip")) {
            boolean found = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin").stream()
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            if (!found) {
                missing.add(tool);
            }
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String why = (root ? "" : "not root; ") + (missing.isEmpty() ? "" : "missing " + missing);
        if (why.isEmpty()) {
            return;
        }
        if (System.getenv("CI") != null) {
            Assertions.fail(test + " needs root and containerd, runc, nftables: " + why);
        }
        Assumptions.abort(test + " needs root and containerd, runc, nftables: " + why);
    }

    static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
    }
}

package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on real containers: {@code ./capstan up --node} with the node agent's own containerd, a pod CIDR and bridge
 * of this test's own (so it runs beside a developer's cluster), and a guard nft rule that drops anything from that
 * CIDR leaving through another interface. Test traffic goes only to pod IPs on that bridge. Needs root and
 * containerd: skipped without them, except under CI, where that fails.
 */
class NodeAgentIT {
    private static final String IMAGE = "localhost/capstan/busybox:1";
    private static final String CLUSTER_CIDR = "10.248.0.0/16";
    private static final String BRIDGE = "capstane2e0";
    private static final String GUARD_TABLE = "capstan_e2e_guard";
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static boolean guard;
    private static final List<String> containerIds = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        requireMachine();
        run(List.of("nft", "-f", "-"), """
                table ip %s {
                  chain postrouting {
                    type filter hook postrouting priority 0; policy accept;
                    ip saddr %s oifname != "%s" drop
                  }
                }
                """.formatted(GUARD_TABLE, CLUSTER_CIDR, BRIDGE));
        guard = true;
        cluster = Cluster.upWithNode(
                tmp,
                // Single replicas: no leader election, whose 10 s renew deadline a loaded 2-core machine can miss
                // while containerd and the node agent start.
                List.of(
                        "-Dcapstan.controllers.nodes.cluster-cidr=" + CLUSTER_CIDR,
                        "-Dcapstan.controllers.leader-election.enabled=false",
                        "-Dcapstan.scheduler.leader-election.enabled=false"),
                List.of("-Dcapstan.node.bridge=" + BRIDGE));
        api = cluster.admin();
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
                assertThat(Path.of("/sys/class/net", BRIDGE))
                        .as("the pod bridge is removed")
                        .doesNotExist();
                for (String id : containerIds) {
                    assertThat(cgroupDirs(id)).as("cgroups of container %s", id).isEmpty();
                }
            }
        } finally {
            if (guard) {
                run(List.of("nft", "delete", "table", "ip", GUARD_TABLE), null);
            }
        }
    }

    @Test
    void aPodRunsItsInitContainersInOrderGetsItsSecretAndAnswersHttpOnItsPodIp() throws Exception {
        String ns = "default";
        String name = "web-" + suffix();
        api.resources(Kinds.SECRETS)
                .create(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(Map.of("token", "s3cret"))
                        .build());
        Pod pod = api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .addToInitContainers(busybox("init-a", "sleep 1"))
                        .addToInitContainers(busybox("init-b", "sleep 1"))
                        .addToContainers(new ContainerBuilder(
                                        busybox(
                                                "httpd",
                                                "mkdir -p /www && echo \"$TOKEN\" > /www/token && exec httpd -f -p 8080 -h /www"))
                                .addNewEnv()
                                .withName("TOKEN")
                                .withNewValueFrom()
                                .withNewSecretKeyRef("token", name, false)
                                .endValueFrom()
                                .endEnv()
                                .build())
                        .endSpec()
                        .build());
        Pod running = awaitPod(
                ns,
                name,
                p -> "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null && ready(p));
        String ip = running.getStatus().getPodIP();
        assertThat(ip).startsWith("10.248.");
        var inits = running.getStatus().getInitContainerStatuses();
        assertThat(inits).extracting(ContainerStatus::getName).containsExactly("init-a", "init-b");
        Instant aFinished =
                Instant.parse(inits.get(0).getState().getTerminated().getFinishedAt());
        Instant bStarted = Instant.parse(inits.get(1).getState().getTerminated().getStartedAt());
        assertThat(bStarted).as("init-b starts after init-a finished").isAfterOrEqualTo(aFinished);
        assertThat(inits)
                .allMatch(s -> "Completed".equals(s.getState().getTerminated().getReason()));
        remember(running);

        assertThat(httpGet(ip, "/token")).isEqualTo("s3cret\n");

        // Restarting the agent adopts the running container: same container, no restart, still serving.
        String containerId = running.getStatus().getContainerStatuses().get(0).getContainerID();
        cluster.kill("node");
        cluster.capstan("up", "--node");
        await().during(Duration.ofSeconds(3)).atMost(START).untilAsserted(() -> {
            Pod now = api.resources(Kinds.PODS).get(ns, name).orElseThrow();
            var status = now.getStatus().getContainerStatuses().get(0);
            assertThat(status.getContainerID()).isEqualTo(containerId);
            assertThat(status.getRestartCount()).isZero();
            assertThat(status.getState().getRunning()).isNotNull();
        });
        assertThat(httpGet(ip, "/token")).isEqualTo("s3cret\n");

        deleteAndAwaitGone(pod);
    }

    @Test
    void aCrashingContainerGoesToCrashLoopBackOff() throws Exception {
        String name = "crash-" + suffix();
        Pod pod = api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .addToContainers(busybox("crash", "exit 3"))
                        .endSpec()
                        .build());
        Pod looping = awaitPod("default", name, p -> {
            var s = p.getStatus().getContainerStatuses();
            return s != null
                    && !s.isEmpty()
                    && s.get(0).getState().getWaiting() != null
                    && "CrashLoopBackOff"
                            .equals(s.get(0).getState().getWaiting().getReason());
        });
        var status = looping.getStatus().getContainerStatuses().get(0);
        assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getState().getWaiting().getMessage())
                .startsWith("back-off 10s restarting failed container=crash pod=" + name + "_default(");
        assertThat(looping.getStatus().getPhase()).isEqualTo("Running");
        int count = status.getRestartCount();
        // After the 10 s back-off it runs again and crashes again: the count grows, the back-off doubles.
        Pod later = awaitPod("default", name, p -> {
            var s = p.getStatus().getContainerStatuses().get(0);
            return s.getRestartCount() > count
                    && s.getState().getWaiting() != null
                    && s.getState().getWaiting().getMessage().startsWith("back-off 20s");
        });
        remember(later);
        deleteAndAwaitGone(pod);
    }

    private static io.fabric8.kubernetes.api.model.Container busybox(String name, String script) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(IMAGE)
                .withCommand("sh", "-c", script)
                .build();
    }

    private static Pod awaitPod(String ns, String name, java.util.function.Predicate<Pod> condition) {
        return await().atMost(START)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> api.resources(Kinds.PODS).get(ns, name).orElse(null),
                        p -> p != null && p.getStatus() != null && condition.test(p));
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void remember(Pod pod) {
        for (var s : pod.getStatus().getContainerStatuses()) {
            if (s.getContainerID() != null) {
                containerIds.add(s.getContainerID().replace("containerd://", ""));
            }
        }
    }

    /** Deletes the pod; the agent stops it and confirms with the final delete; nothing of it stays in containerd. */
    private static void deleteAndAwaitGone(Pod pod) throws Exception {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        api.resources(Kinds.PODS).delete(ns, name, DeleteOptions.DEFAULT);
        await().atMost(START)
                .until(() -> api.resources(Kinds.PODS).get(ns, name).isEmpty());
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
        assertThat(listed.lines().skip(1).toList())
                .as("containers and sandboxes of %s", name)
                .isEmpty();
    }

    private static List<Path> cgroupDirs(String id) throws IOException {
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

    private static String httpGet(String ip, String path) throws Exception {
        assertThat(run(List.of("nft", "list", "table", "ip", GUARD_TABLE), null))
                .contains("oifname != \"" + BRIDGE + "\" drop");
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

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }

    /** Skips where this machine cannot run containers, except under CI, where a missing package is a failure. */
    private static void requireMachine() {
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
            Assertions.fail("NodeAgentIT needs root and containerd, runc, nftables: " + why);
        }
        Assumptions.abort("NodeAgentIT needs root and containerd, runc, nftables: " + why);
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
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

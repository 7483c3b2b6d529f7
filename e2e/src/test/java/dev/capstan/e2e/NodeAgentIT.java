package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
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
    private static final NodeMachine NODE = new NodeMachine("10.248.0.0/16", "capstane2e0", "capstan_e2e_guard");
    private static final Duration START = NodeMachine.START;

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static final List<String> containerIds = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        NODE.guard("NodeAgentIT");
        // The agent in a JVM of its own, as it runs on a node of a larger cluster: its restart below restarts it
        // alone (the other node test classes run the components in one JVM, as ./capstan up does by default).
        cluster = NODE.up(tmp, true);
        api = cluster.admin();
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
                assertThat(Path.of("/sys/class/net", NODE.bridge))
                        .as("the pod bridge is removed")
                        .doesNotExist();
                for (String id : containerIds) {
                    assertThat(NodeMachine.cgroupDirs(id))
                            .as("cgroups of container %s", id)
                            .isEmpty();
                }
            }
        } finally {
            NODE.unguard();
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
                        .addToInitContainers(NodeMachine.busybox("init-a", "sleep 1"))
                        .addToInitContainers(NodeMachine.busybox("init-b", "sleep 1"))
                        .addToContainers(new ContainerBuilder(
                                        NodeMachine.busybox(
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
                p -> "Running".equals(p.getStatus().getPhase())
                        && p.getStatus().getPodIP() != null
                        && PodConditions.isReady(p));
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

        assertThat(NODE.httpGet(ip, "/token")).isEqualTo("s3cret\n");

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
        assertThat(NODE.httpGet(ip, "/token")).isEqualTo("s3cret\n");

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
                        .addToContainers(NodeMachine.busybox("crash", "exit 3"))
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

    @Test
    void theAgentServesAContainersLogOverHttpsToTheApiServersToken() throws Exception {
        String name = "talk-" + suffix();
        Pod pod = api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .addToContainers(NodeMachine.busybox(
                                "talk",
                                "echo out; echo err >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"))
                        .endSpec()
                        .build());
        Pod running =
                awaitPod("default", name, p -> "Running".equals(p.getStatus().getPhase()));
        remember(running);
        Node node = api.resources(Kinds.NODES)
                .get("", running.getSpec().getNodeName())
                .orElseThrow();
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
                .isEqualTo(cluster.kubeletPort());

        Path pki = cluster.state().resolve("node/pki/kubelet.crt");
        String token = Files.readString(cluster.state().resolve("data/tokens/kubelet-client"))
                .strip();
        assertThat(Files.getPosixFilePermissions(cluster.state().resolve("data/tokens/kubelet-client")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(pki)).build();
        String base = "https://127.0.0.1:" + cluster.kubeletPort() + "/containerLogs/default/" + name + "/talk";
        // stdout and stderr reach containerd through separate pipes: their order is not the container's
        await().atMost(START)
                .untilAsserted(() -> assertThat(logs(https, base + "?tailLines=100", token)
                                .body()
                                .lines())
                        .contains("out", "err", "tick 1"));
        assertThat(logs(https, base + "?limitBytes=4", token).body()).hasSize(4);
        // the last line is a tick once the next one is written after "err", which may land after "tick 1"
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(logs(https, base + "?tailLines=1&timestamps=true", token)
                                .body())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z tick \\d+\n"));
        assertThat(logs(https, base, null).statusCode()).isEqualTo(401);
        assertThat(logs(https, base, token + "x").statusCode()).isEqualTo(403);
        var previous = logs(https, base + "?previous=true", token);
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(previous.body())
                .isEqualTo("previous terminated container \"talk\" in pod \"" + name + "\" not found");

        // Following: new ticks arrive while the container runs.
        var follow = https.send(
                HttpRequest.newBuilder(URI.create(base + "?follow=true&tailLines=0"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(follow.statusCode()).isEqualTo(200);
        try (var lines = follow.body()) {
            assertThat(lines.limit(2)).allMatch(line -> line.startsWith("tick "));
        }
        deleteAndAwaitGone(pod);
    }

    private static HttpResponse<String> logs(HttpClient https, String url, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** TLS trusting only the agent's own certificate, as an API server that pins it would. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            trust.setCertificateEntry(
                    "kubelet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static void remember(Pod pod) {
        for (var s : pod.getStatus().getContainerStatuses()) {
            if (s.getContainerID() != null) {
                containerIds.add(s.getContainerID().replace("containerd://", ""));
            }
        }
    }

    private static Pod awaitPod(String ns, String name, java.util.function.Predicate<Pod> condition) {
        return NodeMachine.awaitPod(api, ns, name, condition);
    }

    private static void deleteAndAwaitGone(Pod pod) throws Exception {
        NodeMachine.deleteAndAwaitGone(api, cluster, pod);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}

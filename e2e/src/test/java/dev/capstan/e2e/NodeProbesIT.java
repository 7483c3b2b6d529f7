package dev.capstan.e2e;

import static dev.capstan.e2e.NodeMachine.awaitPod;
import static dev.capstan.e2e.NodeMachine.busybox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes and volumes on real containers ({@code ./capstan up --node}, a pod CIDR, bridge and guard rule of this test's
 * own): a failing readiness probe turns Ready false, a failing liveness probe restarts the container, a ConfigMap
 * update reaches the files a running container serves, and a deleted pod leaves no mount behind. The agent resyncs
 * pods with ConfigMap volumes every 2 s here (upstream's default is 1 min).
 */
class NodeProbesIT {
    private static final NodeMachine NODE = new NodeMachine("10.247.0.0/16", "capstane2e1", "capstan_e2e_guard1");

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;

    @BeforeAll
    static void up() throws Exception {
        NODE.guard("NodeProbesIT");
        cluster = NODE.up(tmp, "-Dcapstan.node.sync-frequency=2s");
        api = cluster.admin();
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
                assertThat(NodeMachine.mountsUnder(cluster.state().resolve("node/kubelet")))
                        .as("no volume stays mounted")
                        .isEmpty();
            }
        } finally {
            NODE.unguard();
        }
    }

    @Test
    void aFailingReadinessProbeTurnsReadyFalse() {
        String name = "ready-" + suffix();
        // Serves /ready for 8 s, then answers 404 for it.
        var container = new ContainerBuilder(busybox(
                        "web",
                        // "a && b && (c) &" would background the whole list: httpd could start before /www exists
                        "mkdir -p /www && echo ok > /www/ready; (sleep 8; rm /www/ready) & "
                                + "exec httpd -f -p 8080 -h /www"))
                .withReadinessProbe(new ProbeBuilder()
                        .withNewHttpGet()
                        .withPath("/ready")
                        .withNewPort(8080)
                        .endHttpGet()
                        .withPeriodSeconds(1)
                        .withFailureThreshold(2)
                        .build())
                .build();
        Pod pod = create(name, container, List.of());
        awaitPod(api, "default", name, PodConditions::isReady);
        Pod unready = awaitPod(api, "default", name, p -> "False".equals(condition(p, "Ready")));
        var status = unready.getStatus().getContainerStatuses().get(0);
        assertThat(status.getReady()).isFalse();
        assertThat(status.getStarted()).isTrue();
        assertThat(status.getRestartCount()).as("readiness never restarts").isZero();
        assertThat(unready.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(unready, "ContainersReady")).isEqualTo("False");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(messages(name))
                        .contains("Readiness probe failed: HTTP probe failed with statuscode: 404"));
        delete(pod);
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        String name = "live-" + suffix();
        // Alive for 4 s, then the exec probe's file is gone.
        var container = new ContainerBuilder(
                        busybox("app", "touch /tmp/alive; (sleep 4; rm /tmp/alive) & exec sleep 3600"))
                .withLivenessProbe(new ProbeBuilder()
                        .withNewExec()
                        .withCommand("cat", "/tmp/alive")
                        .endExec()
                        .withPeriodSeconds(1)
                        .withFailureThreshold(2)
                        .build())
                .build();
        Pod pod = create(name, container, List.of());
        Pod restarted = awaitPod(api, "default", name, p -> {
            var s = p.getStatus().getContainerStatuses();
            return s != null && !s.isEmpty() && s.get(0).getRestartCount() >= 1;
        });
        var status = restarted.getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(messages(name))
                        .contains("Container app failed liveness probe, will be restarted")
                        .anyMatch(m -> m.startsWith("Liveness probe failed: cat: can't open '/tmp/alive'")));
        delete(pod);
    }

    @Test
    void aConfigMapUpdateReachesTheRunningContainer() throws Exception {
        String name = "page-" + suffix();
        api.resources(Kinds.CONFIG_MAPS)
                .create(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withData(Map.of("index.html", "v1"))
                        .build());
        var container = new ContainerBuilder(busybox("web", "exec httpd -f -p 8080 -h /www"))
                .addNewVolumeMount()
                .withName("page")
                .withMountPath("/www")
                .endVolumeMount()
                .withStartupProbe(new ProbeBuilder()
                        .withNewTcpSocket()
                        .withNewPort(8080)
                        .endTcpSocket()
                        .withPeriodSeconds(1)
                        .withFailureThreshold(30)
                        .build())
                .build();
        Pod pod = create(
                name,
                container,
                List.of(new VolumeBuilder()
                        .withName("page")
                        .withNewConfigMap()
                        .withName(name)
                        .endConfigMap()
                        .build()));
        Pod running = awaitPod(api, "default", name, PodConditions::isReady);
        String ip = running.getStatus().getPodIP();
        assertThat(NODE.httpGet(ip, "/index.html")).isEqualTo("v1");

        var cm = api.resources(Kinds.CONFIG_MAPS).get("default", name).orElseThrow();
        api.resources(Kinds.CONFIG_MAPS)
                .update(new ConfigMapBuilder(cm)
                        .withData(Map.of("index.html", "v2"))
                        .build());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(NODE.httpGet(ip, "/index.html")).isEqualTo("v2"));
        assertThat(running.getStatus().getContainerStatuses().get(0).getRestartCount())
                .isZero();
        delete(pod);
    }

    @Test
    void aDeletedPodLeavesNoMountBehind() throws Exception {
        String name = "mounts-" + suffix();
        api.resources(Kinds.SECRETS)
                .create(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withStringData(Map.of("token", "s3cret"))
                        .build());
        var container = new ContainerBuilder(
                        busybox("app", "cp /secret/token /scratch/copy && test -s /scratch/copy && exec sleep 3600"))
                .addNewVolumeMount()
                .withName("secret")
                .withMountPath("/secret")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("scratch")
                .withMountPath("/scratch")
                .endVolumeMount()
                .build();
        Pod pod = create(
                name,
                container,
                List.of(
                        new VolumeBuilder()
                                .withName("secret")
                                .withNewSecret()
                                .withSecretName(name)
                                .endSecret()
                                .build(),
                        new VolumeBuilder()
                                .withName("scratch")
                                .withNewEmptyDir()
                                .withMedium("Memory")
                                .withSizeLimit(new Quantity("8Mi"))
                                .endEmptyDir()
                                .build()));
        Pod running = awaitPod(api, "default", name, PodConditions::isReady);
        Path podDir = cluster.state()
                .resolve("node/kubelet/pods")
                .resolve(running.getMetadata().getUid());
        assertThat(NodeMachine.mountsUnder(podDir))
                .as("the secret and the memory emptyDir are tmpfs mounts")
                .hasSize(2);
        assertThat(Files.readString(podDir.resolve("volumes/kubernetes.io~secret/secret/token")))
                .isEqualTo("s3cret");
        delete(pod);
        assertThat(NodeMachine.mountsUnder(podDir)).isEmpty();
        assertThat(podDir).doesNotExist();
    }

    private static Pod create(
            String name,
            io.fabric8.kubernetes.api.model.Container container,
            List<io.fabric8.kubernetes.api.model.Volume> volumes) {
        return api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .withVolumes(volumes)
                        .addToContainers(container)
                        .endSpec()
                        .build());
    }

    private static void delete(Pod pod) {
        try {
            NodeMachine.deleteAndAwaitGone(api, cluster, pod);
        } catch (Exception e) {
            throw new AssertionError("deleting " + pod.getMetadata().getName() + " failed", e);
        }
    }

    private static String condition(Pod p, String type) {
        return p.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus())
                .findFirst()
                .orElse("");
    }

    private static List<String> messages(String podName) {
        return Workloads.events(api, "default", podName).stream()
                .map(Event::getMessage)
                .toList();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}

package dev.capstan.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.PatchType;
import dev.capstan.client.fake.FakeApiClient;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private final FakeApiClient fake = new FakeApiClient();
    private final RecordingApiClient api = new RecordingApiClient(fake);
    private Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    private Simulator start(SimulatorConfig config) throws InterruptedException {
        simulator = new Simulator(config);
        simulator.start(api);
        return simulator;
    }

    private static SimulatorConfig fast(int nodes) {
        return SimulatorConfig.defaults()
                .withNodes(nodes)
                .withStartDelay(Duration.ofMillis(50), Duration.ofMillis(100))
                .withTimings(Duration.ofMillis(100), Duration.ofSeconds(40), Duration.ofMillis(300));
    }

    private Node node(String name) {
        return fake.resources(Kinds.NODES).get("", name).orElseThrow();
    }

    private Pod pod(String name) {
        return fake.resources(Kinds.PODS).get("default", name).orElseThrow();
    }

    private GenericKubernetesResource lease(String name) {
        return fake.resources(Simulator.NODE_LEASES)
                .get("kube-node-lease", name)
                .orElseThrow();
    }

    private void createPod(String name, String node, String... finalizers) {
        fake.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName(name)
                        .withFinalizers(finalizers)
                        .endMetadata()
                        .withNewSpec()
                        .addNewInitContainer()
                        .withName("setup")
                        .withImage("busybox")
                        .endInitContainer()
                        .addNewContainer()
                        .withName("web")
                        .withImage("nginx:1.27")
                        .endContainer()
                        .addNewContainer()
                        .withName("sidecar")
                        .withImage("registry.example.com/team/log:2")
                        .endContainer()
                        .endSpec()
                        .build());
        fake.bind("default", name, node);
    }

    @Test
    void registersNodesWithLabelsCapacityAddressesAndConditions() throws InterruptedException {
        start(fast(4));

        assertThat(simulator.nodeNames())
                .containsExactly("sim-node-0000", "sim-node-0001", "sim-node-0002", "sim-node-0003");
        Node n = node("sim-node-0001");
        assertThat(n.getMetadata().getLabels())
                .containsEntry("kubernetes.io/hostname", "sim-node-0001")
                .containsEntry("kubernetes.io/os", "linux")
                .containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("topology.kubernetes.io/zone", "zone-b")
                .containsEntry("node.kubernetes.io/instance-type", "sim.large")
                .containsEntry("type", "simulated");
        assertThat(node("sim-node-0003").getMetadata().getLabels())
                .containsEntry("topology.kubernetes.io/zone", "zone-a");
        assertThat(n.getStatus().getCapacity().get("cpu").toString()).isEqualTo("32");
        assertThat(n.getStatus().getAllocatable().get("memory").toString()).isEqualTo("256Gi");
        assertThat(n.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(n.getStatus().getAddresses())
                .extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.200.0.2", "Hostname=sim-node-0001");
        assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0-capstan-sim");
        assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("sim://1.0");
        Map<String, NodeCondition> conditions =
                n.getStatus().getConditions().stream().collect(Collectors.toMap(NodeCondition::getType, c -> c));
        assertThat(conditions.get("Ready").getStatus()).isEqualTo("True");
        assertThat(conditions.get("Ready").getReason()).isEqualTo("KubeletReady");
        assertThat(conditions.get("Ready").getMessage()).isEqualTo("kubelet is posting ready status");
        assertThat(conditions.get("MemoryPressure").getReason()).isEqualTo("KubeletHasSufficientMemory");
        assertThat(conditions.get("DiskPressure").getStatus()).isEqualTo("False");
        assertThat(conditions.get("PIDPressure").getMessage()).isEqualTo("kubelet has sufficient PID available");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            GenericKubernetesResource lease = lease("sim-node-0001");
            @SuppressWarnings("unchecked")
            Map<String, Object> spec =
                    (Map<String, Object>) lease.getAdditionalProperties().get("spec");
            assertThat(spec).containsEntry("holderIdentity", "sim-node-0001").containsEntry("leaseDurationSeconds", 40);
            assertThat(lease.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("Node");
                assertThat(ref.getUid()).isEqualTo(n.getMetadata().getUid());
            });
        });
    }

    @Test
    void boundPodGoesPendingThenRunningAndReadyWithAnAddressFromTheNodesCidr() throws InterruptedException {
        start(fast(2).withStartDelay(Duration.ofMillis(400), Duration.ofMillis(400)));
        fake.resources(Kinds.NODES)
                .patch(
                        "",
                        "sim-node-0001",
                        PatchType.MERGE,
                        "{\"spec\":{\"podCIDR\":\"10.244.7.0/24\",\"podCIDRs\":[\"10.244.7.0/24\"]}}");
        createPod("web-1", "sim-node-0001");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> pod("web-1").getStatus().getHostIP() != null);
        Pod pending = pod("web-1");
        assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pending.getStatus().getContainerStatuses())
                .allSatisfy(
                        s -> assertThat(s.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("web-1").getStatus().getPhase()));
        Pod p = pod("web-1");
        assertThat(p.getStatus().getConditions())
                .extracting(PodCondition::getType, PodCondition::getStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("PodReadyToStartContainers", "True"),
                        org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
                        org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"),
                        org.assertj.core.groups.Tuple.tuple("Ready", "True"),
                        org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"));
        assertThat(p.getStatus().getConditions())
                .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isNotNull());
        assertThat(p.getStatus().getHostIP()).isEqualTo("10.200.0.2");
        assertThat(p.getStatus().getHostIPs()).extracting(h -> h.getIp()).containsExactly("10.200.0.2");
        assertThat(p.getStatus().getPodIP()).isEqualTo("10.244.7.2");
        assertThat(p.getStatus().getPodIPs()).extracting(h -> h.getIp()).containsExactly("10.244.7.2");
        assertThat(p.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(p.getStatus().getStartTime()).isNotNull();
        assertThat(p.getStatus().getContainerStatuses()).hasSize(2).allSatisfy(s -> {
            assertThat(s.getReady()).isTrue();
            assertThat(s.getStarted()).isTrue();
            assertThat(s.getRestartCount()).isZero();
            assertThat(s.getContainerID()).startsWith("sim://");
            assertThat(s.getState().getRunning().getStartedAt()).isNotNull();
        });
        ContainerStatus web = p.getStatus().getContainerStatuses().get(0);
        assertThat(web.getImage()).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(web.getImageID()).startsWith("docker.io/library/nginx@sha256:");
        assertThat(p.getStatus().getContainerStatuses().get(1).getImage()).isEqualTo("registry.example.com/team/log:2");
        assertThat(p.getStatus().getInitContainerStatuses()).singleElement().satisfies(s -> {
            assertThat(s.getState().getTerminated().getReason()).isEqualTo("Completed");
            assertThat(s.getState().getTerminated().getExitCode()).isZero();
        });

        createPod("web-2", "sim-node-0001");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("web-2").getStatus().getPhase()));
        assertThat(pod("web-2").getStatus().getPodIP()).isEqualTo("10.244.7.3");
    }

    @Test
    void podWithoutNodeCidrFallsBackToADerivedRange() throws InterruptedException {
        start(fast(3));
        createPod("lonely", "sim-node-0002");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("lonely").getStatus().getPhase()));
        assertThat(PodAddresses.contains(
                        "10.244.2.0/24", pod("lonely").getStatus().getPodIP()))
                .isTrue();
    }

    @Test
    void podsOfOtherNodesAreLeftAlone() throws InterruptedException {
        start(fast(1));
        createPod("elsewhere", "real-node");
        createPod("here", "sim-node-0000");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("here").getStatus().getPhase()));
        assertThat(pod("elsewhere").getStatus())
                .satisfiesAnyOf(
                        s -> assertThat(s).isNull(),
                        s -> assertThat(s.getPhase()).isNull());
    }

    @Test
    void deletedPodIsFinishedWithGracePeriodZeroForItsUid() throws InterruptedException {
        start(fast(1));
        createPod("doomed", "sim-node-0000", "test.capstan.dev/hold");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("doomed").getStatus().getPhase()));
        String uid = pod("doomed").getMetadata().getUid();

        fake.resources(Kinds.PODS).delete("default", "doomed", DeleteOptions.DEFAULT);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(api.deletes)
                        .filteredOn(
                                d -> d.name().equals("doomed") && d.options().gracePeriodSeconds() != null)
                        .singleElement()
                        .satisfies(d -> {
                            assertThat(d.options().gracePeriodSeconds()).isZero();
                            assertThat(d.options().uid()).isEqualTo(uid);
                        }));
    }

    @Test
    void podOnStoppedNodeWaitsUntilTheNodeResumes() throws InterruptedException {
        start(fast(2));
        simulator.stopNode("sim-node-0001");
        createPod("waiting", "sim-node-0001");
        Thread.sleep(600);
        assertThat(pod("waiting").getStatus() == null
                        || pod("waiting").getStatus().getHostIP() == null)
                .isTrue();

        simulator.resumeNode("sim-node-0001");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("waiting").getStatus().getPhase()));
    }

    @Test
    void stopNodeStopsItsLeaseRenewalsAndResumeRestartsThem() throws InterruptedException {
        start(fast(2));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fake.resources(Simulator.NODE_LEASES)
                                .list("kube-node-lease", ListOptions.ALL)
                                .items()
                                .size()
                        == 2);

        simulator.stopNode("sim-node-0000");
        Thread.sleep(300); // a renewal in flight when stopped may still land
        Instant frozen = NodeTemplate.renewTime(lease("sim-node-0000"));
        Instant other = NodeTemplate.renewTime(lease("sim-node-0001"));
        Thread.sleep(500);
        assertThat(NodeTemplate.renewTime(lease("sim-node-0000"))).isEqualTo(frozen);
        assertThat(NodeTemplate.renewTime(lease("sim-node-0001"))).isAfter(other);

        simulator.resumeNode("sim-node-0000");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> NodeTemplate.renewTime(lease("sim-node-0000")).isAfter(frozen));
    }

    @Test
    void conditionsSetByOthersAreReportedAgainWhileTheNodeIsLive() throws InterruptedException {
        start(fast(1));
        Node n = node("sim-node-0000");
        for (NodeCondition c : n.getStatus().getConditions()) {
            c.setStatus("Unknown");
            c.setReason("NodeStatusUnknown");
            c.setMessage("Kubelet stopped posting node status.");
        }
        fake.resources(Kinds.NODES).updateStatus(n);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                node("sim-node-0000").getStatus().getConditions())
                        .filteredOn(c -> c.getType().equals("Ready"))
                        .singleElement()
                        .satisfies(c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("KubeletReady");
                        }));
    }

    @Test
    void heartbeatRefreshesLastHeartbeatTime() throws InterruptedException {
        start(fast(1).withTimings(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(300)));
        Instant first = NodeTemplate.lastHeartbeat(node("sim-node-0000"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> NodeTemplate.lastHeartbeat(node("sim-node-0000")).isAfter(first));
        List<String> updates = fake.actions("updateStatus", "nodes").stream()
                .map(a -> a.name())
                .toList();
        assertThat(updates).isNotEmpty().hasSizeLessThan(6);
    }

    @Test
    void podMarkedNotReadyWhileItsNodeWasGoneIsReportedReadyAgainOnResume() throws InterruptedException {
        start(fast(2));
        createPod("web", "sim-node-0001");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "Running".equals(pod("web").getStatus().getPhase()));
        String ip = pod("web").getStatus().getPodIP();
        simulator.stopNode("sim-node-0001");
        fake.resources(Kinds.PODS)
                .patchStatus(
                        "default",
                        "web",
                        PatchType.MERGE,
                        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
        Thread.sleep(300);
        assertThat(pod("web").getStatus().getConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));

        simulator.resumeNode("sim-node-0001");

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pod("web").getStatus().getConditions())
                        .filteredOn(c -> c.getType().equals("Ready"))
                        .singleElement()
                        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True")));
        assertThat(pod("web").getStatus().getPodIP()).isEqualTo(ip);
    }
}

package dev.capstan.e2e;

import static dev.capstan.e2e.Workloads.activePods;
import static dev.capstan.e2e.Workloads.awaitRolledOut;
import static dev.capstan.e2e.Workloads.deployment;
import static dev.capstan.e2e.Workloads.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's placement rules and its reports, against {@code ./capstan up --simulated-nodes 3} (three nodes of 32
 * cpu in zones a, b and c): required anti-affinity, zone spreading, an unschedulable pod's condition and event with
 * upstream's messages, and preemption.
 */
class SchedulingIT {
    private static final String HOSTNAME = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final Duration ROLLOUT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static Map<String, String> zones;
    private String ns;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.up(tmp, "--simulated-nodes", "3");
        api = cluster.admin();
        within(Duration.ofSeconds(60))
                .until(() -> api.resources(Kinds.NODES).list("", ListOptions.labels("type=simulated")).items().stream()
                                .filter(n -> Workloads.nodeCondition(n, "Ready").equals("True"))
                                .count()
                        == 3);
        zones = api.resources(Kinds.NODES).list("", ListOptions.ALL).items().stream()
                .collect(Collectors.toMap(
                        n -> n.getMetadata().getName(),
                        n -> n.getMetadata().getLabels().get(ZONE)));
        assertThat(Set.copyOf(zones.values())).as("one zone per node").hasSize(3);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void namespace() {
        ns = Workloads.namespace(api, "sched");
    }

    @AfterEach
    void deleteNamespace() {
        Workloads.deleteNamespace(api, ns);
    }

    /** Waits for the pod's PodScheduled=False condition and answers it; reason Unschedulable. */
    private static PodCondition awaitUnschedulable(String namespace, String pod) {
        within(Duration.ofSeconds(30))
                .alias(pod + " is PodScheduled=False")
                .until(() -> Workloads.getPod(api, namespace, pod)
                        .flatMap(p -> Workloads.condition(p, "PodScheduled"))
                        .map(c -> "False".equals(c.getStatus()))
                        .orElse(false));
        Pod p = Workloads.getPod(api, namespace, pod).orElseThrow();
        assertThat(Workloads.nodeName(p)).isNull();
        PodCondition condition = Workloads.condition(p, "PodScheduled").orElseThrow();
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        return condition;
    }

    /** Waits for the pod's FailedScheduling event and answers it. */
    private static Event awaitFailedScheduling(String namespace, String pod) {
        within(Duration.ofSeconds(30))
                .alias("a FailedScheduling event about " + pod)
                .until(() -> Workloads.events(api, namespace, pod).stream()
                        .anyMatch(e -> "FailedScheduling".equals(e.getReason())));
        Event event = Workloads.events(api, namespace, pod).stream()
                .filter(e -> "FailedScheduling".equals(e.getReason()))
                .findFirst()
                .orElseThrow();
        assertThat(event.getType()).isEqualTo("Warning");
        return event;
    }

    @Test
    void requiredAntiAffinityByHostnamePutsOneReplicaPerNode() {
        var spec = Workloads.podSpec("anti")
                .withNewAffinity()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey(HOSTNAME)
                .withLabelSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("app", "anti"))
                        .build())
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .endAffinity()
                .build();
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "anti", 3, spec));
        awaitRolledOut(api, ns, "anti", ROLLOUT);
        assertThat(activePods(api, ns, "anti").stream().map(Workloads::nodeName).collect(Collectors.toSet()))
                .hasSize(3);

        Deployment d = Workloads.getDeployment(api, ns, "anti");
        d.getSpec().setReplicas(4);
        api.resources(Kinds.DEPLOYMENTS).update(d);
        within(Duration.ofSeconds(30)).until(() -> activePods(api, ns, "anti").size() == 4);
        String fourth = activePods(api, ns, "anti").stream()
                .filter(p -> Workloads.nodeName(p) == null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("every replica was bound: " + activePods(api, ns, "anti")))
                .getMetadata()
                .getName();
        String message = "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 "
                + "nodes are available: 3 No preemption victims found for incoming pod.";
        assertThat(awaitUnschedulable(ns, fourth).getMessage()).isEqualTo(message);
        assertThat(awaitFailedScheduling(ns, fourth).getMessage()).isEqualTo(message);
        // and it stays Pending
        within(Duration.ofSeconds(10))
                .during(Duration.ofSeconds(3))
                .until(() -> Workloads.getPod(api, ns, fourth)
                        .map(p -> Workloads.nodeName(p) == null)
                        .orElse(false));
    }

    @Test
    void zoneSpreadWithMaxSkewOneFillsTheZonesEvenly() {
        var spec = Workloads.podSpec("spread")
                .addNewTopologySpreadConstraint()
                .withMaxSkew(1)
                .withTopologyKey(ZONE)
                .withWhenUnsatisfiable("DoNotSchedule")
                .withLabelSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("app", "spread"))
                        .build())
                .endTopologySpreadConstraint()
                .build();
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "spread", 7, spec));
        awaitRolledOut(api, ns, "spread", ROLLOUT);

        Map<String, Long> perZone = activePods(api, ns, "spread").stream()
                .collect(Collectors.groupingBy(p -> zones.get(Workloads.nodeName(p)), Collectors.counting()));
        System.out.printf("7 replicas per zone: %s%n", perZone);
        assertThat(perZone).hasSize(3);
        assertThat(perZone.values()).containsExactlyInAnyOrder(3L, 2L, 2L);
    }

    @Test
    void aPodTooLargeForAnyNodeIsUnschedulableWithUpstreamsMessage() {
        api.resources(Kinds.PODS).create(Workloads.pod(ns, "huge", "1000", s -> s));
        // upstream v1.32: NodeResourcesFit answers Unschedulable (not UnschedulableAndUnresolvable) for a request
        // above the node's allocatable, so preemption runs its dry run and finds no victims
        String message = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No "
                + "preemption victims found for incoming pod.";
        assertThat(awaitUnschedulable(ns, "huge").getMessage()).isEqualTo(message);
        Event event = awaitFailedScheduling(ns, "huge");
        assertThat(event.getMessage()).isEqualTo(message);
        String source = event.getSource() == null ? null : event.getSource().getComponent();
        assertThat(source == null || source.isEmpty() ? event.getReportingComponent() : source)
                .isEqualTo("default-scheduler");
    }

    @Test
    void aHigherPriorityPodPreemptsALowerPriorityOneOnAFullNode() throws Exception {
        String node = zones.keySet().stream().sorted().toList().getLast();
        String high = "e2e-high-" + ns;
        api.resources(Kinds.PRIORITY_CLASSES)
                .create(new PriorityClassBuilder()
                        .withNewMetadata()
                        .withName(high)
                        .endMetadata()
                        .withValue(1000)
                        .build());
        try {
            // 30 of the node's 32 cpu, priority 0
            api.resources(Kinds.PODS)
                    .create(Workloads.pod(ns, "victim", "30", s -> s.withNodeSelector(Map.of(HOSTNAME, node))));
            within(Duration.ofSeconds(30))
                    .until(() -> Workloads.getPod(api, ns, "victim")
                            .map(Workloads::running)
                            .orElse(false));
            String victimUid = Workloads.getPod(api, ns, "victim")
                    .orElseThrow()
                    .getMetadata()
                    .getUid();

            var list = api.resources(Kinds.PODS).list(ns, ListOptions.labels("app=preemptor"));
            Set<String> nominations = ConcurrentHashMap.newKeySet();
            WatchStream<Pod> watch = api.resources(Kinds.PODS)
                    .watch(
                            ns,
                            ListOptions.labels("app=preemptor").withResourceVersion(list.resourceVersion()),
                            false,
                            120);
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    while (watch.hasNext()) {
                        if (watch.next() instanceof WatchEvent.Modified<Pod> m
                                && m.object().getStatus() != null
                                && m.object().getStatus().getNominatedNodeName() != null) {
                            nominations.add(m.object().getStatus().getNominatedNodeName());
                        }
                    }
                } catch (RuntimeException e) {
                    // closed by the test
                }
            });
            Pod preemptor;
            try {
                api.resources(Kinds.PODS)
                        .create(Workloads.pod(
                                ns,
                                "preemptor",
                                "30",
                                s -> s.withNodeSelector(Map.of(HOSTNAME, node)).withPriorityClassName(high)));
                within(Duration.ofSeconds(60))
                        .alias("the preemptor runs on " + node + " in place of the victim")
                        .until(() -> Workloads.getPod(api, ns, "victim").isEmpty()
                                && Workloads.getPod(api, ns, "preemptor")
                                        .map(Workloads::running)
                                        .orElse(false));
                preemptor = Workloads.getPod(api, ns, "preemptor").orElseThrow();
            } finally {
                watch.close();
                watcher.join(Duration.ofSeconds(10));
            }
            assertThat(preemptor.getSpec().getPriority()).isEqualTo(1000);
            assertThat(Workloads.nodeName(preemptor)).isEqualTo(node);
            assertThat(nominations)
                    .as("status.nominatedNodeName of the preemptor")
                    .containsExactly(node);
            assertThat(Workloads.events(api, ns, "victim"))
                    .as("the victim's Preempted event")
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("Preempted");
                        assertThat(e.getMessage())
                                .isEqualTo("Preempted by pod "
                                        + preemptor.getMetadata().getUid() + " on node " + node);
                        assertThat(e.getInvolvedObject().getUid()).isEqualTo(victimUid);
                    });
        } finally {
            api.resources(Kinds.PRIORITY_CLASSES).delete("", high);
        }
    }
}

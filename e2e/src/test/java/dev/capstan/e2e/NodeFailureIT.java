package dev.capstan.e2e;

import static dev.capstan.e2e.Workloads.activePods;
import static dev.capstan.e2e.Workloads.awaitRolledOut;
import static dev.capstan.e2e.Workloads.deployment;
import static dev.capstan.e2e.Workloads.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.simulator.Simulator;
import dev.capstan.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that stops renewing its Lease, against the API server, scheduler and controller manager of {@code ./capstan
 * up} (node monitor grace period shortened to 10 s) and simulated nodes run in this process, so the test decides
 * which "kubelet" dies: the node lifecycle controller marks it unknown and taints it, the taint manager evicts its
 * pods once their toleration runs out, and they come back elsewhere.
 */
class NodeFailureIT {
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static Simulator simulator;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.up(
                tmp,
                List.of("-Dcapstan.controllers.nodes.monitor-grace-period=" + GRACE.toSeconds() + "s"),
                "--control-plane");
        api = cluster.admin();
        // Leases renewed every 2 s (the kubelet's 10 s would outlast the shortened grace period), heartbeats every 10 s
        simulator = new Simulator(SimulatorConfig.defaults()
                .withNodes(3)
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2)));
        simulator.start(
                cluster.client(Files.readString(cluster.tokenFile("node")).trim(), "capstan-simulator"));
        within(Duration.ofSeconds(60))
                .until(() -> simulator.nodeNames().stream()
                        .allMatch(n -> api.resources(Kinds.NODES)
                                .get("", n)
                                .map(node ->
                                        Workloads.nodeCondition(node, "Ready").equals("True"))
                                .orElse(false)));
    }

    @AfterAll
    static void down() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Node node(String name) {
        return api.resources(Kinds.NODES).get("", name).orElseThrow();
    }

    private static boolean hasTaint(Node node, String key, String effect) {
        List<Taint> taints = node.getSpec().getTaints();
        return taints != null && taints.stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
    }

    @Test
    void podsOfAnUnreachableNodeAreEvictedAndRecreatedElsewhere() {
        String ns = Workloads.namespace(api, "node-failure");
        var spec = Workloads.podSpec("app")
                .withTolerations(new TolerationBuilder()
                        .withKey(UNREACHABLE)
                        .withOperator("Exists")
                        .withEffect("NoExecute")
                        .withTolerationSeconds(5L)
                        .build())
                .build();
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "app", 3, spec));
        awaitRolledOut(api, ns, "app", Duration.ofSeconds(90));

        String failed = Workloads.nodeName(activePods(api, ns, "app").getFirst());
        Set<String> stranded = activePods(api, ns, "app").stream()
                .filter(p -> failed.equals(Workloads.nodeName(p)))
                .map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        System.out.printf("stopping %s with pods %s%n", failed, stranded);
        long stopped = System.nanoTime();
        simulator.stopNode(failed);
        try {
            within(GRACE.plusSeconds(30))
                    .alias(failed + " is Ready=Unknown with the unreachable NoSchedule and NoExecute taints")
                    .until(() -> {
                        Node n = node(failed);
                        return Workloads.nodeCondition(n, "Ready").equals("Unknown")
                                && hasTaint(n, UNREACHABLE, "NoSchedule")
                                && hasTaint(n, UNREACHABLE, "NoExecute");
                    });
            System.out.printf(
                    "%s unknown and tainted %d s after its kubelet stopped%n",
                    failed, Duration.ofNanos(System.nanoTime() - stopped).toSeconds());

            // tolerationSeconds 5: evicted (deleted; they stay terminating, as no kubelet confirms) and replaced
            within(Duration.ofSeconds(60))
                    .alias("the pods of " + failed + " are evicted and replaced on the other nodes")
                    .until(() -> {
                        List<Pod> all = Workloads.pods(api, ns, "app");
                        boolean evicted = all.stream()
                                .filter(p -> stranded.contains(p.getMetadata().getName()))
                                .allMatch(Workloads::terminating);
                        List<Pod> active = all.stream()
                                .filter(p -> !Workloads.terminating(p))
                                .toList();
                        return evicted
                                && active.size() == 3
                                && active.stream()
                                        .allMatch(p -> Workloads.running(p) && !failed.equals(Workloads.nodeName(p)));
                    });
            System.out.printf(
                    "pods of %s replaced %d s after its kubelet stopped%n",
                    failed, Duration.ofNanos(System.nanoTime() - stopped).toSeconds());
        } finally {
            simulator.resumeNode(failed);
        }

        within(Duration.ofSeconds(60))
                .alias(failed + " is Ready again without the unreachable taints")
                .until(() -> {
                    Node n = node(failed);
                    return Workloads.nodeCondition(n, "Ready").equals("True")
                            && !hasTaint(n, UNREACHABLE, "NoSchedule")
                            && !hasTaint(n, UNREACHABLE, "NoExecute");
                });
        // back, its kubelet confirms the evicted pods' end; the Deployment keeps its three
        within(Duration.ofSeconds(30))
                .until(() -> Workloads.pods(api, ns, "app").stream()
                        .noneMatch(p -> stranded.contains(p.getMetadata().getName())));
        assertThat(activePods(api, ns, "app"))
                .hasSize(3)
                .allSatisfy(p -> assertThat(Workloads.running(p)).isTrue());
        Workloads.deleteNamespace(api, ns);
    }
}

package dev.capstan.scheduler.core;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.Fixtures;
import dev.capstan.scheduler.Workloads;
import dev.capstan.scheduler.framework.WorkloadListers;
import dev.capstan.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PodTopologySpread's system-default constraints through the whole scheduler: replicas of a ReplicaSet on nodes so
 * large that every resource score ties, so only spreading separates the nodes.
 */
class DefaultSpreadingTest {
    private static final Workloads RS =
            new Workloads().replicaSet("web-abc", Map.of("app", "web")).service("web", Map.of("app", "web"));

    /** Schedules the replicas one after another; returns pods per node. */
    private static Map<String, Integer> schedule(
            WorkloadListers listers, List<Fixtures.NodeSpec> nodes, int replicas, boolean confirm, long seed)
            throws InterruptedException {
        Map<String, String> bound = new HashMap<>();
        Scheduler[] holder = new Scheduler[1];
        Scheduler s = Scheduler.builder()
                .profiles(List.of(InTreePlugins.defaultProfile()))
                .registry(InTreePlugins.registry())
                .workloadListers(listers)
                .random(new Random(seed))
                .binder((pod, node) -> {
                    bound.put(pod.getMetadata().getName(), node);
                    if (confirm) {
                        holder[0]
                                .handlers()
                                .onPodUpdate(
                                        pod,
                                        new PodBuilder(pod)
                                                .editSpec()
                                                .withNodeName(node)
                                                .endSpec()
                                                .build());
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .failureHandler(new FailureHandler() {
                    @Override
                    public void failed(Pod pod, SchedulingFailure failure) {
                        throw new AssertionError(failure.message());
                    }

                    @Override
                    public void scheduled(Pod pod, String nodeName, String message) {}
                })
                .preemptionActions(new PreemptionActions() {
                    @Override
                    public void evict(Pod victim, String message, String eventMessage) {}

                    @Override
                    public void clearNominatedNodeName(Pod pod) {}
                })
                .build();
        holder[0] = s;
        nodes.forEach(n -> s.handlers().onNodeAdd(n.cpu("64").memory("256Gi").build()));
        for (int i = 0; i < replicas; i++) {
            s.handlers()
                    .onPodAdd(Workloads.ownedBy(
                            pod("web-" + i).label("app", "web").build(), "apps/v1", "ReplicaSet", "web-abc"));
        }
        while (s.scheduleNext(0, TimeUnit.MILLISECONDS)) {
            // bound (and, when confirm, added by the informer) one after another
        }
        Map<String, Integer> perNode = new TreeMap<>();
        bound.values().forEach(n -> perNode.merge(n, 1, Integer::sum));
        return perNode;
    }

    private static List<Fixtures.NodeSpec> nodes(String... names) {
        return java.util.Arrays.stream(names).map(Fixtures::node).toList();
    }

    @ParameterizedTest(name = "binding confirmed by the informer: {0}")
    @ValueSource(booleans = {true, false})
    void threeReplicasOnThreeEmptyNodesSpreadOneEach(boolean confirm) throws InterruptedException {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(schedule(RS, nodes("n1", "n2", "n3"), 3, confirm, seed))
                    .as("seed %d", seed)
                    .isEqualTo(Map.of("n1", 1, "n2", 1, "n3", 1));
        }
    }

    @ParameterizedTest(name = "binding confirmed by the informer: {0}")
    @ValueSource(booleans = {true, false})
    void sixReplicasOnThreeNodesSpreadTwoEach(boolean confirm) throws InterruptedException {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(schedule(RS, nodes("n1", "n2", "n3"), 6, confirm, seed))
                    .as("seed %d", seed)
                    .isEqualTo(Map.of("n1", 2, "n2", 2, "n3", 2));
        }
    }

    @Test
    void withoutListersNothingSpreadsThemSoSomeSeedStacksReplicas() throws InterruptedException {
        boolean stacked = false;
        for (long seed = 0; seed < 20 && !stacked; seed++) {
            stacked = schedule(WorkloadListers.NONE, nodes("n1", "n2", "n3"), 3, true, seed)
                            .size()
                    < 3;
        }
        assertThat(stacked).as("the spreading tests above can fail").isTrue();
    }

    @Test
    void zonesAreSpreadBeforeNodesWithinAZone() throws InterruptedException {
        List<Fixtures.NodeSpec> nodes = List.of(
                node("a1").zone("a"),
                node("a2").zone("a"),
                node("a3").zone("a"),
                node("b1").zone("b"),
                node("c1").zone("c"));
        for (long seed = 0; seed < 20; seed++) {
            Map<String, Integer> perNode = schedule(RS, nodes, 3, true, seed);
            Map<Character, Integer> perZone = new TreeMap<>();
            perNode.forEach((n, count) -> perZone.merge(n.charAt(0), count, Integer::sum));
            assertThat(perZone).as("seed %d: %s", seed, perNode).isEqualTo(Map.of('a', 1, 'b', 1, 'c', 1));
        }
    }

    @Test
    void aServiceAloneGivesTheDefaultSelector() throws InterruptedException {
        Workloads serviceOnly = new Workloads().service("web", Map.of("app", "web"));
        for (long seed = 0; seed < 20; seed++) {
            assertThat(schedule(serviceOnly, nodes("n1", "n2", "n3"), 3, true, seed))
                    .as("seed %d", seed)
                    .isEqualTo(Map.of("n1", 1, "n2", 1, "n3", 1));
        }
    }
}

package dev.capstan.scheduler.plugins;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.Frameworks;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";

    /** Nodes a1, a2 in zone a and b1 in zone b; web runs on a1. */
    private final NodeInfo a1 = NodeInfo.of(
            node("a1").zone("a").build(),
            PodInfo.of(pod("web").label("app", "web").nodeName("a1").build()));

    private final NodeInfo a2 = NodeInfo.of(node("a2").zone("a").build());
    private final NodeInfo b1 = NodeInfo.of(node("b1").zone("b").build());
    private final List<NodeInfo> nodes = List.of(a1, a2, b1);

    private Map<String, Status> filterAll(Pod pod) {
        Framework fw = Frameworks.only(InterPodAffinity.NAME, nodes);
        CycleState state = new CycleState();
        PodInfo p = PodInfo.of(pod);
        Status pre = fw.runPreFilter(state, p);
        assertThat(pre.isSuccess()).as(pre.toString()).isTrue();
        return Map.of(
                "a1", fw.runFilter(state, p, a1), "a2", fw.runFilter(state, p, a2), "b1", fw.runFilter(state, p, b1));
    }

    @Test
    void requiredAffinityByZoneAdmitsOnlyTheZoneWithAMatchingPod() {
        Map<String, Status> s = filterAll(pod("p").affinity(ZONE, "app", "web").build());
        assertThat(s.get("a1").isSuccess()).isTrue();
        assertThat(s.get("a2").isSuccess()).isTrue();
        assertThat(s.get("b1"))
                .isEqualTo(Status.unresolvable("node(s) didn't match pod affinity rules")
                        .withPlugin(InterPodAffinity.NAME));
    }

    @Test
    void requiredAntiAffinityByHostnameRejectsOnlyTheNodeWithTheMatchingPod() {
        Map<String, Status> s =
                filterAll(pod("p").antiAffinity(HOST, "app", "web").build());
        assertThat(s.get("a1"))
                .isEqualTo(Status.unschedulable("node(s) didn't match pod anti-affinity rules")
                        .withPlugin(InterPodAffinity.NAME));
        assertThat(s.get("a2").isSuccess()).isTrue();
        assertThat(s.get("b1").isSuccess()).isTrue();
    }

    @Test
    void existingPodsAntiAffinityKeepsMatchingPodsOutOfTheirZone() {
        a2.addPod(PodInfo.of(pod("guard")
                .nodeName("a2")
                .antiAffinity(ZONE, "role", "intruder")
                .build()));
        Map<String, Status> s = filterAll(pod("p").label("role", "intruder").build());
        Status existing = Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules")
                .withPlugin(InterPodAffinity.NAME);
        assertThat(s.get("a1")).isEqualTo(existing);
        assertThat(s.get("a2")).isEqualTo(existing);
        assertThat(s.get("b1").isSuccess()).isTrue();
    }

    @Test
    void firstPodOfAGroupWithAffinityToItselfMayGoAnywhereWithTheKey() {
        Map<String, Status> s = filterAll(
                pod("p").label("app", "db").affinity(ZONE, "app", "db").build());
        assertThat(s.values()).allMatch(Status::isSuccess);
    }

    @Test
    void affinityTermsOnlyMatchPodsInTheirNamespaces() {
        Map<String, Status> s = filterAll(
                pod("p").namespace("other").antiAffinity(HOST, "app", "web").build());
        assertThat(s.values()).allMatch(Status::isSuccess);
    }

    @Test
    void emptyNamespaceSelectorMatchesAllNamespaces() {
        Pod p = pod("p").namespace("other").build();
        p.getSpec()
                .setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                        .withNewPodAntiAffinity()
                        .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
                                .withTopologyKey(HOST)
                                .withNamespaceSelector(new LabelSelectorBuilder().build())
                                .withLabelSelector(new LabelSelectorBuilder()
                                        .addToMatchLabels("app", "web")
                                        .build())
                                .build())
                        .endPodAntiAffinity()
                        .build());
        Map<String, Status> s = filterAll(p);
        assertThat(s.get("a1").isSuccess()).isFalse();
        assertThat(s.get("a2").isSuccess()).isTrue();
    }

    @Test
    void preFilterSkipsPodsWithoutAffinityWhenNoPodHasAntiAffinity() {
        Framework fw = Frameworks.only(InterPodAffinity.NAME, nodes);
        CycleState state = new CycleState();
        assertThat(fw.runPreFilter(state, PodInfo.of(pod("p").build())).isSuccess())
                .isTrue();
        assertThat(state.skipFilterPlugins()).containsExactly(InterPodAffinity.NAME);
    }

    @Test
    void preferredAffinityScoresTheZoneOfTheMatchingPodHighest() {
        Framework fw = Frameworks.only(InterPodAffinity.NAME, nodes);
        PodInfo p =
                PodInfo.of(pod("p").preferredAffinity(10, ZONE, "app", "web").build());
        CycleState state = new CycleState();
        assertThat(fw.runPreScore(state, p, nodes).isSuccess()).isTrue();
        assertThat(fw.runScore(state, p, nodes)).containsExactly(100, 100, 0);
    }

    @Test
    void addPodExtensionCountsAPodAddedInAWhatIf() {
        Framework fw = Frameworks.only(InterPodAffinity.NAME, nodes);
        PodInfo p = PodInfo.of(pod("p").antiAffinity(HOST, "app", "web").build());
        CycleState state = new CycleState();
        fw.runPreFilter(state, p);
        NodeInfo b1Copy = b1.copy();
        PodInfo added =
                PodInfo.of(pod("web2").label("app", "web").nodeName("b1").build());
        b1Copy.addPod(added);
        fw.runPreFilterExtensionAddPod(state, p, added, b1Copy);
        assertThat(fw.runFilter(state, p, b1Copy).isSuccess()).isFalse();
        b1Copy.removePod(added);
        fw.runPreFilterExtensionRemovePod(state, p, added, b1Copy);
        assertThat(fw.runFilter(state, p, b1Copy).isSuccess()).isTrue();
    }
}

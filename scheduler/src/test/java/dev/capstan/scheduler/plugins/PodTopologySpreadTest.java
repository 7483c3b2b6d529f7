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
import dev.capstan.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTopologySpreadTest {
    private static final String ZONE = "topology.kubernetes.io/zone";

    private static PodInfo web(String name, String node) {
        return PodInfo.of(pod(name).label("app", "web").nodeName(node).build());
    }

    /** Zone a holds 2 web pods (a1), zone b 1 (b1), zone c none; plus a node without a zone label. */
    private final NodeInfo a1 = NodeInfo.of(node("a1").zone("a").build(), web("w1", "a1"), web("w2", "a1"));

    private final NodeInfo b1 = NodeInfo.of(node("b1").zone("b").build(), web("w3", "b1"));
    private final NodeInfo c1 = NodeInfo.of(node("c1").zone("c").build());
    private final NodeInfo bare = NodeInfo.of(node("x").build());

    private List<Status> filterAll(Pod pod, List<NodeInfo> nodes) {
        Framework fw = Frameworks.only(PodTopologySpread.NAME, nodes);
        CycleState state = new CycleState();
        PodInfo p = PodInfo.of(pod);
        assertThat(fw.runPreFilter(state, p).isSuccess()).isTrue();
        List<Status> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            out.add(fw.runFilter(state, p, n));
        }
        return out;
    }

    @Test
    void maxSkewOneByZoneAdmitsOnlyTheEmptiestZones() {
        List<Status> s = filterAll(
                pod("p").label("app", "web")
                        .spread(1, ZONE, "DoNotSchedule", "app", "web")
                        .build(),
                List.of(a1, b1, c1, bare));
        Status skew = Status.unschedulable("node(s) didn't match pod topology spread constraints")
                .withPlugin(PodTopologySpread.NAME);
        // global min 0 (zone c): a 2+1-0 > 1, b 1+1-0 > 1, c 0+1-0 = 1
        assertThat(s.get(0)).isEqualTo(skew);
        assertThat(s.get(1)).isEqualTo(skew);
        assertThat(s.get(2).isSuccess()).isTrue();
        assertThat(s.get(3))
                .isEqualTo(Status.unresolvable(
                                "node(s) didn't match pod topology spread constraints (missing required label)")
                        .withPlugin(PodTopologySpread.NAME));
    }

    @Test
    void aPodThatDoesNotMatchItsOwnSelectorDoesNotCountItself() {
        List<Status> s = filterAll(
                pod("p").spread(1, ZONE, "DoNotSchedule", "app", "web").build(), List.of(a1, b1, c1));
        // a: 2+0-0 > 1; b: 1+0-0 <= 1; c: 0
        assertThat(s.get(0).isSuccess()).isFalse();
        assertThat(s.get(1).isSuccess()).isTrue();
        assertThat(s.get(2).isSuccess()).isTrue();
    }

    @Test
    void minDomainsTreatsTheGlobalMinimumAsZeroWhileDomainsAreMissing() {
        Pod p = pod("p").label("app", "web")
                .spread(2, ZONE, "DoNotSchedule", "app", "web")
                .build();
        // without zone c: min is 1 (zone b); zone a: 2+1-1 = 2 <= 2 passes
        assertThat(filterAll(p, List.of(a1, b1)).get(0).isSuccess()).isTrue();
        p.getSpec().getTopologySpreadConstraints().get(0).setMinDomains(3);
        // only 2 domains < minDomains 3: min counts as 0 → zone a: 3 > 2
        assertThat(filterAll(p, List.of(a1, b1)).get(0).isSuccess()).isFalse();
    }

    @Test
    void nodeAffinityPolicyHonorLeavesNonMatchingNodesOutOfTheDomains() {
        Pod p = pod("p").label("app", "web")
                .nodeSelector("pool", "blue")
                .spread(1, ZONE, "DoNotSchedule", "app", "web")
                .build();
        NodeInfo blueA = NodeInfo.of(node("ba").zone("a").label("pool", "blue").build(), web("w9", "ba"));
        NodeInfo blueB = NodeInfo.of(node("bb").zone("b").label("pool", "blue").build());
        // zone c (c1) is not blue: not a domain, so the minimum is zone b's 0, and zone a (1+1-0 > 1) fails
        List<Status> s = filterAll(p, List.of(blueA, blueB, c1));
        assertThat(s.get(0).isSuccess()).isFalse();
        assertThat(s.get(1).isSuccess()).isTrue();
    }

    @Test
    void scheduleAnywayScoresTheLessLoadedZoneHigher() {
        List<NodeInfo> nodes = List.of(a1, b1, c1);
        Framework fw = Frameworks.only(PodTopologySpread.NAME, nodes);
        PodInfo p = PodInfo.of(pod("p").label("app", "web")
                .spread(1, ZONE, "ScheduleAnyway", "app", "web")
                .build());
        CycleState state = new CycleState();
        assertThat(fw.runPreScore(state, p, nodes).isSuccess()).isTrue();
        long[] scores = fw.runScore(state, p, nodes);
        assertThat(scores[2]).isGreaterThan(scores[1]);
        assertThat(scores[1]).isGreaterThan(scores[0]);
        assertThat(scores[2]).isEqualTo(100);
    }

    @Test
    void aPodAddedInAWhatIfRaisesTheGlobalMinimum() {
        List<NodeInfo> nodes = List.of(a1, b1, c1);
        Framework fw = Frameworks.only(PodTopologySpread.NAME, nodes);
        PodInfo p = PodInfo.of(pod("p").label("app", "web")
                .spread(1, ZONE, "DoNotSchedule", "app", "web")
                .build());
        CycleState state = new CycleState();
        assertThat(fw.runPreFilter(state, p).isSuccess()).isTrue();
        // zone b: 1+1-0 > 1 while zone c is empty
        assertThat(fw.runFilter(state, p, b1).isSuccess()).isFalse();

        NodeInfo c1Copy = c1.copy();
        PodInfo added = web("w4", "c1");
        c1Copy.addPod(added);
        fw.runPreFilterExtensionAddPod(state, p, added, c1Copy);
        // the smallest zone now holds 1: zone b 1+1-1 <= 1
        assertThat(fw.runFilter(state, p, b1).isSuccess()).isTrue();

        c1Copy.removePod(added);
        fw.runPreFilterExtensionRemovePod(state, p, added, c1Copy);
        assertThat(fw.runFilter(state, p, b1).isSuccess()).isFalse();
    }
}

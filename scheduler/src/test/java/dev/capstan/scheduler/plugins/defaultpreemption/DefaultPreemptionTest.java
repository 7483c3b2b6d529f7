package dev.capstan.scheduler.plugins.defaultpreemption;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.NodeToStatus;
import dev.capstan.scheduler.framework.Nominator;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PostFilterPlugin;
import dev.capstan.scheduler.framework.Snapshot;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.plugins.InTreePlugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPreemptionTest {

    private static PodInfo running(String name, String node, String cpu, int priority, String start) {
        return PodInfo.of(pod(name)
                .cpu(cpu)
                .priority(priority)
                .nodeName(node)
                .startTime(start)
                .build());
    }

    /** Runs the default profile's filters over the nodes, then PostFilter, as the scheduler does. */
    private static PostFilterPlugin.Result preempt(PodInfo pod, List<NodeInfo> nodes) {
        Framework fw =
                new Framework(InTreePlugins.defaultProfile(), InTreePlugins.registry(), ns -> null, Nominator.NONE);
        fw.snapshot(Snapshot.of(nodes));
        CycleState state = new CycleState();
        assertThat(fw.runPreFilter(state, pod).isSuccess()).isTrue();
        NodeToStatus statuses = new NodeToStatus();
        for (NodeInfo n : nodes) {
            Status s = fw.runFilter(state, pod, n);
            assertThat(s.isSuccess()).as("node %s must not fit", n.name()).isFalse();
            statuses.set(n.name(), s);
        }
        return fw.runPostFilter(state, pod, statuses);
    }

    @Test
    void picksTheNodeWhoseVictimsHaveTheLowestHighestPriority() {
        NodeInfo n1 = NodeInfo.of(node("n1").cpu("2").build(), running("a", "n1", "2", 50, "2025-01-01T00:00:00Z"));
        NodeInfo n2 = NodeInfo.of(node("n2").cpu("2").build(), running("b", "n2", "2", 10, "2025-01-01T00:00:00Z"));
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("2").priority(100).build()), List.of(n1, n2));
        assertThat(r.status().isSuccess()).isTrue();
        assertThat(r.nominatedNodeName()).isEqualTo("n2");
        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("b");
    }

    @Test
    void reprievesTheMostImportantPodsThatCanStay() {
        // 4 cpu: three 1-cpu pods of priorities 1, 5, 9; the preemptor needs 2 cpu beyond the free 1
        NodeInfo n1 = NodeInfo.of(
                node("n1").cpu("4").build(),
                running("p1", "n1", "1", 1, "2025-01-01T00:00:00Z"),
                running("p5", "n1", "1", 5, "2025-01-01T00:00:00Z"),
                running("p9", "n1", "1", 9, "2025-01-01T00:00:00Z"));
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("2").priority(100).build()), List.of(n1));
        assertThat(r.nominatedNodeName()).isEqualTo("n1");
        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("p1");
    }

    @Test
    void fewerVictimsWinWhenPrioritiesTie() {
        NodeInfo n1 = NodeInfo.of(
                node("n1").cpu("2").build(),
                running("a1", "n1", "1", 5, "2025-01-01T00:00:00Z"),
                running("a2", "n1", "1", 5, "2025-01-01T00:00:00Z"));
        NodeInfo n2 = NodeInfo.of(node("n2").cpu("2").build(), running("b1", "n2", "2", 5, "2025-01-01T00:00:00Z"));
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("2").priority(100).build()), List.of(n1, n2));
        assertThat(r.nominatedNodeName()).isEqualTo("n2");
    }

    @Test
    void equalPodsOrEqualCostPreferTheYoungestVictims() {
        NodeInfo n1 = NodeInfo.of(node("n1").cpu("2").build(), running("old", "n1", "2", 5, "2025-01-01T00:00:00Z"));
        NodeInfo n2 = NodeInfo.of(node("n2").cpu("2").build(), running("young", "n2", "2", 5, "2025-06-01T00:00:00Z"));
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("2").priority(100).build()), List.of(n1, n2));
        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("young");
    }

    @Test
    void equalOrHigherPriorityPodsAreNeverVictims() {
        NodeInfo n1 = NodeInfo.of(node("n1").cpu("2").build(), running("same", "n1", "2", 100, "2025-01-01T00:00:00Z"));
        NodeInfo n2 =
                NodeInfo.of(node("n2").cpu("2").taint("k", "v", "NoSchedule").build());
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("2").priority(100).build()), List.of(n1, n2));
        assertThat(r.status().isSuccess()).isFalse();
        assertThat(r.status().message())
                .isEqualTo("preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod,"
                        + " 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void evenWithoutEveryLowerPriorityPodTheNodeTooSmallIsReportedWithItsReason() {
        NodeInfo n1 = NodeInfo.of(node("n1").cpu("4").build(), running("a", "n1", "1", 1, "2025-01-01T00:00:00Z"));
        // needs more than free (3) but less than allocatable (4)... plus a pod it cannot evict
        n1.addPod(running("vip", "n1", "2", 1000, "2025-01-01T00:00:00Z"));
        PostFilterPlugin.Result r =
                preempt(PodInfo.of(pod("p").cpu("3").priority(100).build()), List.of(n1));
        assertThat(r.status().message()).isEqualTo("preemption: 0/1 nodes are available: 1 Insufficient cpu.");
    }

    @Test
    void preemptionPolicyNeverIsNotEligible() {
        NodeInfo n1 = NodeInfo.of(node("n1").cpu("2").build(), running("a", "n1", "2", 1, "2025-01-01T00:00:00Z"));
        PostFilterPlugin.Result r = preempt(
                PodInfo.of(pod("p").cpu("2")
                        .priority(100)
                        .preemptionPolicy("Never")
                        .build()),
                List.of(n1));
        assertThat(r.status().message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
        assertThat(r.nominatedNodeName()).isNull();
    }

    @Test
    void numCandidates() {
        assertThat(DefaultPreemption.numCandidates(50)).isEqualTo(50);
        assertThat(DefaultPreemption.numCandidates(500)).isEqualTo(100);
        assertThat(DefaultPreemption.numCandidates(5000)).isEqualTo(500);
    }
}

package dev.capstan.scheduler.plugins;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.Frameworks;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.plugins.balancedallocation.BalancedAllocation;
import dev.capstan.scheduler.plugins.imagelocality.ImageLocality;
import dev.capstan.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.capstan.scheduler.plugins.tainttoleration.TaintToleration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scoring formulas, with numbers worked out from upstream's. */
class ScorePluginsTest {

    @ParameterizedTest
    @CsvSource({
        // requested cpu, requested mem, alloc cpu, alloc mem, expected: mean of (alloc-req)*100/alloc
        "0, 0, 4000, 8000, 100",
        "1000, 2000, 4000, 8000, 75",
        "3000, 0, 4000, 8000, 62", // (25 + 100) / 2
        "5000, 0, 4000, 8000, 50", // over capacity scores 0
        "0, 0, 0, 8000, 100", // no cpu allocatable: left out
    })
    void leastAllocated(long cpu, long mem, long allocCpu, long allocMem, long expected) {
        assertThat(scoreOnEmptyNode(new NodeResourcesFit(), cpu, mem, allocCpu, allocMem))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "1000, 2000, 4000, 8000, 100", // 25% and 25%: perfectly balanced
        "2000, 0, 4000, 8000, 75", // 50% and 0%: std 0.25
        "4000, 0, 4000, 8000, 50",
        "8000, 0, 4000, 8000, 50", // fractions capped at 1
        "4000, 0, 0, 8000, 100", // one resource with allocatable: no spread
        "4000, 0, 0, 0, 100",
    })
    void balanced(long cpu, long mem, long allocCpu, long allocMem, long expected) {
        assertThat(scoreOnEmptyNode(new BalancedAllocation(), cpu, mem, allocCpu, allocMem))
                .isEqualTo(expected);
    }

    /** The plugin's score for a pod requesting {@code cpu} (milli) and {@code mem} (bytes) on a node without pods. */
    private static long scoreOnEmptyNode(ScorePlugin plugin, long cpu, long mem, long allocCpu, long allocMem) {
        NodeInfo n = NodeInfo.of(
                node("a").cpu(allocCpu + "m").memory(Long.toString(allocMem)).build());
        PodInfo p =
                PodInfo.of(pod("p").cpu(cpu + "m").memory(Long.toString(mem)).build());
        return plugin.score(new CycleState(), p, n);
    }

    @Test
    void imageLocalityThresholds() {
        long mb = 1024 * 1024;
        assertThat(ImageLocality.calculatePriority(0, 1)).isZero();
        assertThat(ImageLocality.calculatePriority(23 * mb, 1)).isZero();
        assertThat(ImageLocality.calculatePriority(1000 * mb, 1)).isEqualTo(100);
        assertThat(ImageLocality.calculatePriority(5000 * mb, 1)).isEqualTo(100);
        // upstream's test: 250MB image on a node, one container: 100 * (250-23) / (1000-23)
        assertThat(ImageLocality.calculatePriority(250 * mb, 1)).isEqualTo(23);
        assertThat(ImageLocality.scaledImageScore(300 * mb, 1, 2)).isEqualTo(150 * mb);
    }

    @Test
    void imageLocalityScoresNodesWithTheImage() {
        long mb = 1024 * 1024;
        NodeInfo with = NodeInfo.of(node("a").build());
        NodeInfo without = NodeInfo.of(node("b").build());
        with.imageStates(java.util.Map.of("nginx:latest", new dev.capstan.scheduler.framework.ImageState(600 * mb, 2)));
        Framework fw = Frameworks.only(ImageLocality.NAME, List.of(with, without));
        long[] scores =
                fw.runScore(new CycleState(), PodInfo.of(pod("p").image("nginx").build()), List.of(with, without));
        // 600MB present on 2 of 2 nodes: 100 * (600-23)/(1000-23)
        assertThat(scores).containsExactly(59, 0);
    }

    @Test
    void taintTolerationPrefersFewerIntolerablePreferNoScheduleTaints() {
        NodeInfo clean = NodeInfo.of(node("a").build());
        NodeInfo one = NodeInfo.of(node("b").taint("x", "1", "PreferNoSchedule").build());
        NodeInfo two = NodeInfo.of(node("c")
                .taint("x", "1", "PreferNoSchedule")
                .taint("y", "1", "PreferNoSchedule")
                .build());
        NodeInfo tolerated =
                NodeInfo.of(node("d").taint("x", "1", "PreferNoSchedule").build());
        List<NodeInfo> nodes = List.of(clean, one, two, tolerated);
        Framework fw = Frameworks.only(TaintToleration.NAME, nodes);
        PodInfo pod = PodInfo.of(
                pod("p").toleration("y", "Exists", null, "PreferNoSchedule").build());
        CycleState state = new CycleState();
        fw.runPreScore(state, pod, nodes);
        // raw counts 0, 1, 1, 1 → reversed normalization: 100, 0, 0, 0
        assertThat(fw.runScore(state, pod, nodes)).containsExactly(100, 0, 0, 0);
    }

    @Test
    void defaultNormalize() {
        long[] s = {0, 5, 10};
        ScorePlugin.defaultNormalize(100, false, s);
        assertThat(s).containsExactly(0, 50, 100);
        long[] r = {0, 5, 10};
        ScorePlugin.defaultNormalize(100, true, r);
        assertThat(r).containsExactly(100, 50, 0);
        long[] zeros = {0, 0};
        ScorePlugin.defaultNormalize(100, true, zeros);
        assertThat(zeros).containsExactly(100, 100);
    }

    @Test
    void leastAllocatedUsesNonZeroRequestsForBestEffortPods() {
        NodeInfo n = NodeInfo.of(node("a").cpu("1").memory("1Gi").build());
        Framework fw = Frameworks.only(NodeResourcesFit.NAME, List.of(n));
        // no requests: counts 100m cpu and 200Mi memory: cpu (1000-100)*100/1000 = 90, mem (1024-200)*100/1024 = 80
        long[] s = fw.runScore(new CycleState(), PodInfo.of(pod("p").build()), List.of(n));
        assertThat(s).containsExactly(85);
    }
}

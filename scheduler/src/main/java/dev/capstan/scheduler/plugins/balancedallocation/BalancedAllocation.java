package dev.capstan.scheduler.plugins.balancedallocation;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.ScorePlugin;

/** Upstream's NodeResourcesBalancedAllocation with its default resources (cpu and memory) and actual requests. */
public final class BalancedAllocation implements ScorePlugin {
    public static final String NAME = "NodeResourcesBalancedAllocation";
    public static final PluginFactory FACTORY = handle -> new BalancedAllocation();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        return balanced(
                new long[] {
                    node.requested().milliCpu + pod.requests().milliCpu, node.requested().memory + pod.requests().memory
                },
                new long[] {node.allocatable().milliCpu, node.allocatable().memory});
    }

    /**
     * Upstream's balancedResourceScorer: {@code (1 - std) * 100} of the used fractions (each capped at 1); for two
     * resources the standard deviation is half their difference.
     */
    public static long balanced(long[] requested, long[] allocatable) {
        double[] fractions = new double[requested.length];
        int n = 0;
        double total = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            double f = Math.min(1, (double) requested[i] / allocatable[i]);
            total += f;
            fractions[n++] = f;
        }
        double std = 0;
        if (n == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (n > 2) {
            double mean = total / n;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (fractions[i] - mean) * (fractions[i] - mean);
            }
            std = Math.sqrt(sum / n);
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }
}
